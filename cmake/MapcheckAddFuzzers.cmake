# The libFuzzer targets of one map, for mapcheck's own tree (fuzz/CMakeLists.txt, the bundled maps)
# and for the installed package (mapcheck_add_map in a user's project) alike: one definition, so a
# user's fuzzer is built exactly as gomap's.
#
# mapcheck_add_fuzzers(MAP <name> ADAPTER_HEADER <header> ADAPTER_TYPE <C++ type>
#                      [INCLUDE_DIRECTORIES <dirs>...] [LIBRARIES <targets>...] [EXCLUDE_FROM_ALL])
#   Writes <build>/mapcheck_maps/fuzzed/<name>/mapcheck_fuzzed_adapter.hpp, which names the adapter
#   the fuzz sources instantiate, and, when fuzzers can be built (mapcheck_fuzzers_enabled), makes
#   fuzz_<mode>_<name> from $MAPCHECK_FUZZ_DIR/targets/<mode>.cpp for every mode. The fuzzers land
#   in MAPCHECK_FUZZER_OUTPUT_DIRECTORY when that is set (mapcheck's tree: build/<preset>/fuzz,
#   where ci/fuzz looks), else next to the caller's other targets.
# mapcheck_make_fuzzer(<target> <include dir>)
#   Makes an executable a libFuzzer binary over the adapter named in <include dir>'s
#   mapcheck_fuzzed_adapter.hpp (the bug zoo's fuzzers use it on their own sources).
# mapcheck_fuzz_modes(<out var>)         the modes: the names of $MAPCHECK_FUZZ_DIR/targets/*.cpp.
# mapcheck_fuzz_flags(<out var>)         the libFuzzer flags every run takes (-max_len=...), from
#                                        $MAPCHECK_FUZZ_DIR/libfuzzer.options.
# mapcheck_fuzzed_adapter_dir(<map> <out var>)   the include dir mapcheck_add_fuzzers writes.
# mapcheck_fuzzers_enabled(<out var>)    whether this build makes fuzzers (below).
#
# MAPCHECK_FUZZ_DIR is the fuzz folder: fuzz/ in the source tree, <prefix>/share/mapcheck/fuzz once
# installed (targets/, include/, coverage_ignorelist.txt, libfuzzer.options and libfuzzer_flags,
# the dictionaries and seed corpora).
#
# Whether fuzzers are built: MAPCHECK_FUZZERS. mapcheck's own tree declares it OFF (the `fuzz`
# preset sets it ON); a project using the package gets AUTO: fuzzers whenever the compiler can make
# them, since a map author who configures with clang wants them and one with g++ cannot have them.
# Either way the compiler is probed once (clang with libFuzzer), and a compiler that cannot gets a
# message saying how to get fuzzers, never a failed configure or build.
#
# Instrumentation: a build whose CMAKE_CXX_FLAGS already carry -fsanitize=fuzzer-no-link (mapcheck's
# `fuzz` preset, OSS-Fuzz-style builds) instruments everything itself, so a fuzzer only links
# libFuzzer. Anywhere else the fuzzer alone is compiled with -fsanitize=fuzzer and the sanitizers in
# MAPCHECK_FUZZ_SANITIZERS (default address,undefined; empty for none), so that a user's ordinary
# build type still yields a useful fuzzer without instrumenting the rest of the project.
include_guard(GLOBAL)
include(CheckCXXSourceCompiles)
include(CMakePushCheckState)

if(NOT DEFINED MAPCHECK_FUZZERS)
  set(MAPCHECK_FUZZERS AUTO CACHE STRING
      "fuzz_<mode>_<map> for every mapcheck_add_map: AUTO (if clang with libFuzzer), ON, OFF")
  set_property(CACHE MAPCHECK_FUZZERS PROPERTY STRINGS AUTO ON OFF)
endif()
set(MAPCHECK_FUZZ_SANITIZERS "address,undefined" CACHE STRING
    "-fsanitize= list of the fuzzers if CMAKE_CXX_FLAGS do not instrument (empty: none)")

function(mapcheck_fuzz_modes out)
  file(GLOB sources CONFIGURE_DEPENDS ${MAPCHECK_FUZZ_DIR}/targets/*.cpp)
  set(modes)
  foreach(source IN LISTS sources)
    get_filename_component(mode ${source} NAME_WE)
    list(APPEND modes ${mode})
  endforeach()
  set(${out} ${modes} PARENT_SCOPE)
endfunction()

function(mapcheck_fuzz_flags out)
  set(options ${MAPCHECK_FUZZ_DIR}/libfuzzer.options)
  set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${options})
  find_package(Python3 REQUIRED COMPONENTS Interpreter)
  execute_process(COMMAND ${Python3_EXECUTABLE} ${MAPCHECK_FUZZ_DIR}/libfuzzer_flags
                  OUTPUT_VARIABLE flags OUTPUT_STRIP_TRAILING_WHITESPACE COMMAND_ERROR_IS_FATAL ANY)
  string(REPLACE "\n" ";" flags "${flags}")
  set(${out} ${flags} PARENT_SCOPE)
endfunction()

function(mapcheck_fuzzed_adapter_dir map out)
  set(${out} ${CMAKE_BINARY_DIR}/mapcheck_maps/fuzzed/${map} PARENT_SCOPE)
endfunction()

# Reports whether the project's flags instrument every object for libFuzzer already.
function(_mapcheck_build_instrumented out)
  if(CMAKE_CXX_FLAGS MATCHES "-fsanitize=[^ ]*fuzzer")
    set(${out} TRUE PARENT_SCOPE)
  else()
    set(${out} FALSE PARENT_SCOPE)
  endif()
endfunction()

# The options a fuzzer is compiled and linked with, beyond the project's flags.
function(_mapcheck_fuzzer_options compile_out link_out)
  _mapcheck_build_instrumented(instrumented)
  if(instrumented)
    set(${compile_out} "" PARENT_SCOPE)
    set(${link_out} -fsanitize=fuzzer PARENT_SCOPE)
    return()
  endif()
  set(options -fsanitize=fuzzer)
  if(NOT MAPCHECK_FUZZ_SANITIZERS STREQUAL "")
    # Without no-recover, UBSan prints and goes on: libFuzzer would neither stop nor save the input.
    list(APPEND options -fsanitize=${MAPCHECK_FUZZ_SANITIZERS} -fno-sanitize-recover=all)
  endif()
  set(${compile_out} ${options} -fno-omit-frame-pointer PARENT_SCOPE)
  set(${link_out} ${options} PARENT_SCOPE)
endfunction()

function(mapcheck_fuzzers_enabled out)
  set(${out} FALSE PARENT_SCOPE)
  if(NOT MAPCHECK_FUZZERS)
    return()
  endif()
  # Cached by check_cxx_source_compiles: one probe per build directory. Only clang is asked: g++
  # has no libFuzzer, and its error output would be noise.
  if(NOT DEFINED MAPCHECK_HAVE_LIBFUZZER)
    if(CMAKE_CXX_COMPILER_ID MATCHES "Clang")
      _mapcheck_fuzzer_options(compile_options link_options)
      cmake_push_check_state(RESET)
      set(CMAKE_REQUIRED_FLAGS "${compile_options}")
      list(JOIN CMAKE_REQUIRED_FLAGS " " CMAKE_REQUIRED_FLAGS)
      set(CMAKE_REQUIRED_LINK_OPTIONS ${link_options})
      set(CMAKE_REQUIRED_QUIET ON)
      check_cxx_source_compiles([[
#include <cstddef>
#include <cstdint>
extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t*, std::size_t) { return 0; }
]] MAPCHECK_HAVE_LIBFUZZER)
      cmake_pop_check_state()
    endif()
  endif()
  # Said once per configure: a user should know whether fuzzers come, and how to change that.
  get_property(told GLOBAL PROPERTY MAPCHECK_TOLD_FUZZERS)
  set_property(GLOBAL PROPERTY MAPCHECK_TOLD_FUZZERS TRUE)
  if(MAPCHECK_HAVE_LIBFUZZER)
    set(${out} TRUE PARENT_SCOPE)
    if(NOT told)
      message(STATUS "mapcheck: fuzzers fuzz_<mode>_<map> (libFuzzer; MAPCHECK_FUZZERS=OFF leaves "
                     "them out)")
    endif()
    return()
  endif()
  if(NOT told)
    string(CONCAT text "mapcheck: no fuzzers (fuzz_<mode>_<map>): they need clang with libFuzzer "
           "(-fsanitize=fuzzer), and ${CMAKE_CXX_COMPILER} (${CMAKE_CXX_COMPILER_ID} "
           "${CMAKE_CXX_COMPILER_VERSION}) cannot build them. Configure a build directory with "
           "-DCMAKE_CXX_COMPILER=clang++ (and the compiler-rt package: libclang-rt-<version>-dev "
           "on Debian) to get them. The mapcheck_<map> tests and benchmarks do not need them.")
    if(MAPCHECK_FUZZERS STREQUAL "AUTO")
      message(STATUS "${text}")
    else()
      message(WARNING "${text} (MAPCHECK_FUZZERS is ${MAPCHECK_FUZZERS})")
    endif()
  endif()
endfunction()

function(mapcheck_make_fuzzer target include_dir)
  target_include_directories(${target} PRIVATE ${MAPCHECK_FUZZ_DIR}/include ${include_dir})
  target_link_libraries(${target} PRIVATE mapcheck::harness)
  if(TARGET mapcheck_warnings)  # mapcheck's own tree: its warnings; a user's project keeps its own
    target_link_libraries(${target} PRIVATE mapcheck_warnings)
  endif()
  # Edge coverage for the map only: the checker's own branches would reward inputs that exercise
  # the checker (the file says more). No comparison tracing (trace-cmp): an input names keys by
  # their index in a universe, so the values the map compares (keys, hashes, tophash bytes,
  # pointers) never appear as input bytes and libFuzzer's compare-guided mutations have nothing to
  # copy; the hooks cost a third of an execution.
  target_compile_options(${target} PRIVATE
    -fsanitize-coverage-ignorelist=${MAPCHECK_FUZZ_DIR}/coverage_ignorelist.txt
    -fno-sanitize-coverage=trace-cmp)
  _mapcheck_fuzzer_options(compile_options link_options)
  target_compile_options(${target} PRIVATE ${compile_options})
  target_link_options(${target} PRIVATE ${link_options})
  if(MAPCHECK_FUZZER_OUTPUT_DIRECTORY)
    set_target_properties(${target} PROPERTIES
                          RUNTIME_OUTPUT_DIRECTORY ${MAPCHECK_FUZZER_OUTPUT_DIRECTORY})
  endif()
endfunction()

function(mapcheck_add_fuzzers)
  cmake_parse_arguments(ARG "EXCLUDE_FROM_ALL" "MAP;ADAPTER_HEADER;ADAPTER_TYPE"
                        "INCLUDE_DIRECTORIES;LIBRARIES" ${ARGN})
  mapcheck_fuzzed_adapter_dir(${ARG_MAP} include_dir)
  file(CONFIGURE OUTPUT ${include_dir}/mapcheck_fuzzed_adapter.hpp CONTENT
"// Generated by mapcheck_add_fuzzers(MAP ${ARG_MAP}): the adapter the fuzz targets instantiate.
#pragma once
#include \"${ARG_ADAPTER_HEADER}\"
namespace mapcheck::fuzz {
using FuzzedAdapter = ${ARG_ADAPTER_TYPE};
}  // namespace mapcheck::fuzz
")
  mapcheck_fuzzers_enabled(enabled)
  if(NOT enabled)
    return()
  endif()
  set(exclude)
  if(ARG_EXCLUDE_FROM_ALL)
    set(exclude EXCLUDE_FROM_ALL)
  endif()
  mapcheck_fuzz_modes(modes)
  foreach(mode IN LISTS modes)
    set(source ${MAPCHECK_FUZZ_DIR}/targets/${mode}.cpp)
    # The ignorelist is read by the compiler, so an edit to it must rebuild the fuzzers.
    set_source_files_properties(${source} PROPERTIES
                                OBJECT_DEPENDS ${MAPCHECK_FUZZ_DIR}/coverage_ignorelist.txt)
    set(fuzzer fuzz_${mode}_${ARG_MAP})
    add_executable(${fuzzer} ${exclude} ${source})
    mapcheck_make_fuzzer(${fuzzer} ${include_dir})
    target_include_directories(${fuzzer} PRIVATE ${ARG_INCLUDE_DIRECTORIES})
    target_link_libraries(${fuzzer} PRIVATE ${ARG_LIBRARIES})
  endforeach()
endfunction()
