# layers: proves the include walls (CTest lint.layers). Compiles each probe in this directory with the
# include directories of the layer target it names (passed by tests/CMakeLists.txt from the targets
# themselves): *_ok.c must compile; *_up_*.c includes a layer above its own, *_private_*.c a private
# header of a layer below (store/stmt.h), and both must fail, and fail because that header is not found
# (not for another reason).
# Inputs: -DCC=compiler -DDIR=this directory -DINC_<layer>="dir;dir" for util, store, domain, notifications
# and majlisd (main.c).
set(failed 0)
file(GLOB probes ${DIR}/*.c)
foreach(probe IN LISTS probes)
	get_filename_component(name ${probe} NAME_WE)
	string(REGEX MATCH "^[a-z]+" layer ${name})
	set(flags)
	foreach(d IN LISTS INC_${layer})
		list(APPEND flags -I${d})
	endforeach()
	execute_process(COMMAND ${CC} -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -fsyntax-only
			${flags} ${probe}
		RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE out)
	if(name MATCHES "_ok$")
		if(rc EQUAL 0)
			message(STATUS "ok: ${name} compiles with the ${layer} view")
		else()
			message(STATUS "FAIL: ${name} should compile with the ${layer} view:\n${out}")
			set(failed 1)
		endif()
	else()
		file(STRINGS ${probe} inc REGEX "^#include")
		string(REGEX REPLACE "^#include \"([^\"]+)\".*" "\\1" inc "${inc}")
		if(NOT rc EQUAL 0 AND out MATCHES "${inc}: No such file or directory")
			message(STATUS "ok: ${name}: an include of ${inc} does not compile")
		else()
			message(STATUS "FAIL: ${name}: ${inc} was found from the ${layer} view (rc ${rc}):\n${out}")
			set(failed 1)
		endif()
	endif()
endforeach()
if(failed)
	message(FATAL_ERROR "layers: an include wall is missing")
endif()
