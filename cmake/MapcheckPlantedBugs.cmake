# mapcheck_planted_bugs(<out-var>): the planted bugs of gomap, read from the one place they are
# declared (the PlantedBug enum of target/include/gomap/internal/planted_bugs.hpp), without `none`.
function(mapcheck_planted_bugs out_var)
  file(STRINGS ${PROJECT_SOURCE_DIR}/target/include/gomap/internal/planted_bugs.hpp lines
       REGEX "^  [a-z_]+,")
  set(bugs)
  foreach(line IN LISTS lines)
    string(REGEX REPLACE "^  ([a-z_]+),.*" "\\1" bug "${line}")
    if(NOT bug STREQUAL "none")
      list(APPEND bugs ${bug})
    endif()
  endforeach()
  set(${out_var} ${bugs} PARENT_SCOPE)
endfunction()
