# Runs `COMMAND ARGS` (a mapcheck run) and succeeds only if it reports a broken contract: exit
# status 1 and a FINDING in its summary, and, when MATCH is given, output (stdout and stderr)
# matching that regular expression. Used by mapcheck_add_map(... EXPECT_FINDING).
execute_process(COMMAND ${COMMAND} ${ARGS} RESULT_VARIABLE status OUTPUT_VARIABLE out
                ERROR_VARIABLE err)
message("${out}")
if(NOT status EQUAL 1 OR NOT out MATCHES "FINDING")
  message(FATAL_ERROR "expected a finding (exit status 1), got exit status ${status}:\n${err}")
endif()
if(DEFINED MATCH AND NOT "${out}${err}" MATCHES "${MATCH}")
  message(FATAL_ERROR "the finding does not match '${MATCH}':\n${err}")
endif()
