# Multi-threaded tests of gomap::Map, included from tests/CMakeLists.txt (which has found GTest and
# included GoogleTest; targets gomap and mapcheck_warnings exist). Paths are relative to this file.
#
#  * gomap_concurrent_reads_tests (label stress): readers without a writer, after growth
#    and during an unfinished grow, must all see exact answers. Meant for the tsan preset too.
#  * gomap_concurrent_misuse_tests (label gomap): death tests where real threads race without a
#    lock and must die with Go's fatal errors, plus a mutex-guarded control; and
#    gomap.concurrent_misuse_99_of_100, which runs each death test 100 times (fresh processes) and
#    requires 99 passes, since detection is best effort. Not in a ThreadSanitizer build: the races
#    are the point of these tests, and TSan would report them (and halt) before the map's checks.
find_package(Threads REQUIRED)

add_executable(gomap_concurrent_reads_tests ${CMAKE_CURRENT_LIST_DIR}/concurrent_reads_test.cpp)
target_link_libraries(gomap_concurrent_reads_tests PRIVATE gomap GTest::gtest_main Threads::Threads)
if(TARGET mapcheck_warnings)
  target_link_libraries(gomap_concurrent_reads_tests PRIVATE mapcheck_warnings)
endif()
# Label `stress` only: gtest_discover_tests (CMake 3.25) cannot pass a list-valued LABELS.
gtest_discover_tests(gomap_concurrent_reads_tests PROPERTIES LABELS stress DISCOVERY_TIMEOUT 60)

if(NOT CMAKE_CXX_FLAGS MATCHES "sanitize=thread")
  add_executable(gomap_concurrent_misuse_tests
                 ${CMAKE_CURRENT_LIST_DIR}/concurrent_misuse_death_test.cpp)
  target_link_libraries(gomap_concurrent_misuse_tests PRIVATE gomap GTest::gtest_main
                                                              Threads::Threads)
  if(TARGET mapcheck_warnings)
    target_link_libraries(gomap_concurrent_misuse_tests PRIVATE mapcheck_warnings)
  endif()
  gtest_discover_tests(gomap_concurrent_misuse_tests PROPERTIES LABELS gomap DISCOVERY_TIMEOUT 60)

  add_test(NAME gomap.concurrent_misuse_99_of_100
           COMMAND bash ${CMAKE_CURRENT_LIST_DIR}/repeat_death_tests.sh
                   $<TARGET_FILE:gomap_concurrent_misuse_tests> "*DeathTest.*" 100 99)
  set_tests_properties(gomap.concurrent_misuse_99_of_100 PROPERTIES LABELS gomap TIMEOUT 300)
endif()
