# mapcheck_planted_bugs(<out-var> [HEADER <file>]): the planted bugs of gomap, read from the one
# place they are declared (the PlantedBug enum of target/include/gomap/internal/planted_bugs.hpp,
# or the enum of HEADER, one row per line), without `none`.
function(mapcheck_planted_bugs out_var)
  cmake_parse_arguments(PARSE_ARGV 1 arg "" "HEADER" "")
  if(NOT arg_HEADER)
    set(arg_HEADER ${PROJECT_SOURCE_DIR}/target/include/gomap/internal/planted_bugs.hpp)
  endif()
  file(STRINGS ${arg_HEADER} lines REGEX "^  [a-z_]+,")
  set(bugs)
  foreach(line IN LISTS lines)
    string(REGEX REPLACE "^  ([a-z_]+),.*" "\\1" bug "${line}")
    if(NOT bug STREQUAL "none")
      list(APPEND bugs ${bug})
    endif()
  endforeach()
  set(${out_var} ${bugs} PARENT_SCOPE)
endfunction()
