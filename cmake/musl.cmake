# The shipped static binaries on musl: Debian's musl-dev gives a static C library (headers in
# /usr/include/ARCH-linux-musl, libc.a and the start files in /usr/lib/ARCH-linux-musl; for
# arm64 through multiarch, musl-dev:arm64). pidone linked against it is ~122 KiB instead of
# static glibc's ~720 KiB, and starts faster (docs/benchmarks.md).
#
# The same g++ compiles for musl: -nostdinc, then libstdc++'s include directories (its
# header-only parts: <expected>, <string>, <vector>, <charconv>, ...), musl's, and gcc's own,
# with src/musl/prelude.h first for the two glibc names libstdc++'s headers ask for. What
# would need libstdc++'s compiled parts is kept out (-fno-exceptions, -fno-rtti, no
# iostreams) or provided: src/pidone/static_runtime.cc (throw helpers, operator new/delete),
# src/musl/malloc.cc (pidone's heap), and members of libstdc++.a that call nothing at all
# (PIDONE_MUSL_LIBSTDCXX_MEMBERS, checked below). Anything else is an undefined reference at
# link time, never a silent mix of the two C libraries.
#
# PIDONE_LIBC (cache): auto (musl when found, else static glibc with a warning), musl (fail
# without it) or glibc. Only static builds (PIDONE_STATIC) use musl: the sanitizer builds,
# valgrind's pidone-dynamic and the fuzzers keep glibc.
set(PIDONE_LIBC auto CACHE STRING "C library of the static pidone and pidone-inspect: auto, musl or glibc")
set_property(CACHE PIDONE_LIBC PROPERTY STRINGS auto musl glibc)
# Members of libstdc++.a linked into the musl binaries: each must have no undefined symbol.
set(PIDONE_MUSL_LIBSTDCXX_MEMBERS tree.o)  # std::map's red-black tree (pidone-inspect)

# pidone_find_musl(): sets PIDONE_MUSL_REASON (empty when found) and the PIDONE_MUSL_* lists.
function(pidone_find_musl)
  set(triple ${CMAKE_SYSTEM_PROCESSOR}-linux-musl)
  set(include_dir /usr/include/${triple})
  set(lib_dir /usr/lib/${triple})
  set(PIDONE_MUSL_REASON "" PARENT_SCOPE)
  foreach(file ${include_dir}/stdlib.h ${lib_dir}/libc.a ${lib_dir}/crt1.o ${lib_dir}/crti.o
               ${lib_dir}/crtn.o)
    if(NOT EXISTS ${file})
      set(PIDONE_MUSL_REASON "no ${file} (Debian: apt-get install musl-dev, or musl-dev:arm64 for aarch64)" PARENT_SCOPE)
      return()
    endif()
  endforeach()
  # libstdc++'s include directories, in the compiler's own order.
  execute_process(COMMAND ${CMAKE_CXX_COMPILER} -xc++ -E -v /dev/null
                  OUTPUT_QUIET ERROR_VARIABLE search RESULT_VARIABLE rc)
  string(REGEX MATCH "#include <...> search starts here:\n(.*)End of search list" _ "${search}")
  string(REPLACE "\n" ";" lines "${CMAKE_MATCH_1}")
  set(cxx_dirs)
  set(kernel_dirs)
  foreach(line ${lines})
    string(STRIP "${line}" dir)
    if(dir MATCHES "/c\\+\\+/")
      list(APPEND cxx_dirs ${dir})
    endif()
    # The kernel's headers (linux/, asm/, asm-generic/: Debian's linux-libc-dev) are in the
    # glibc include directories, with glibc's own: only those three are taken, through links.
    foreach(sub linux/version.h asm/unistd.h asm-generic/errno.h)
      get_filename_component(name ${sub} DIRECTORY)
      if(NOT DEFINED kernel_${name} AND EXISTS ${dir}/${sub})
        set(kernel_${name} ${dir}/${name})
      endif()
    endforeach()
  endforeach()
  if(NOT rc EQUAL 0 OR NOT cxx_dirs)
    set(PIDONE_MUSL_REASON "cannot find libstdc++'s include directories from ${CMAKE_CXX_COMPILER} -v" PARENT_SCOPE)
    return()
  endif()
  foreach(name include crtbeginT.o crtend.o libstdc++.a)
    execute_process(COMMAND ${CMAKE_CXX_COMPILER} -print-file-name=${name}
                    OUTPUT_VARIABLE path OUTPUT_STRIP_TRAILING_WHITESPACE)
    if(NOT IS_ABSOLUTE "${path}" OR NOT EXISTS "${path}")
      set(PIDONE_MUSL_REASON "${CMAKE_CXX_COMPILER} has no ${name}" PARENT_SCOPE)
      return()
    endif()
    set(gcc_${name} ${path})
  endforeach()
  execute_process(COMMAND ${CMAKE_CXX_COMPILER} -print-libgcc-file-name
                  OUTPUT_VARIABLE libgcc OUTPUT_STRIP_TRAILING_WHITESPACE)

  # The libstdc++.a members, taken out once and checked to stand alone.
  set(members_dir ${PROJECT_BINARY_DIR}/musl-libstdcxx)
  file(MAKE_DIRECTORY ${members_dir})
  set(members)
  foreach(member ${PIDONE_MUSL_LIBSTDCXX_MEMBERS})
    execute_process(COMMAND ${CMAKE_AR} x ${gcc_libstdc++.a} ${member}
                    WORKING_DIRECTORY ${members_dir} RESULT_VARIABLE rc)
    execute_process(COMMAND ${CMAKE_NM} -u ${members_dir}/${member}
                    OUTPUT_VARIABLE undefined OUTPUT_STRIP_TRAILING_WHITESPACE)
    if(NOT rc EQUAL 0 OR NOT EXISTS ${members_dir}/${member} OR NOT undefined STREQUAL "")
      set(PIDONE_MUSL_REASON "libstdc++.a's ${member} is missing or calls out (${undefined})" PARENT_SCOPE)
      return()
    endif()
    list(APPEND members ${members_dir}/${member})
  endforeach()

  set(kernel_root ${PROJECT_BINARY_DIR}/musl-kernel-headers)
  file(MAKE_DIRECTORY ${kernel_root})
  foreach(name linux asm asm-generic)
    if(NOT DEFINED kernel_${name})
      set(PIDONE_MUSL_REASON "no kernel headers ${name}/ beside ${CMAKE_CXX_COMPILER}'s (Debian: linux-libc-dev)" PARENT_SCOPE)
      return()
    endif()
    file(CREATE_LINK ${kernel_${name}} ${kernel_root}/${name} SYMBOLIC)
  endforeach()

  set(compile -nostdinc)
  foreach(dir ${cxx_dirs} ${include_dir} ${kernel_root} ${gcc_include})
    list(APPEND compile "SHELL:-isystem ${dir}")
  endforeach()
  # No PIE (a static executable is linked at a fixed address, as static glibc's is), no
  # guards around local statics (pidone has no threads; __cxa_guard_* is libstdc++'s), and no
  # unwind tables at all (no exceptions to unwind: aarch64's g++ makes them by default, 12 KiB).
  list(APPEND compile "SHELL:-include ${PROJECT_SOURCE_DIR}/src/musl/prelude.h" -fno-pie
       -fno-threadsafe-statics -fno-unwind-tables)
  set(PIDONE_MUSL_COMPILE_OPTIONS ${compile} PARENT_SCOPE)
  set(PIDONE_MUSL_START_FILES ${lib_dir}/crt1.o ${lib_dir}/crti.o ${gcc_crtbeginT.o} PARENT_SCOPE)
  set(PIDONE_MUSL_END_FILES ${members} ${lib_dir}/libc.a ${libgcc} ${gcc_crtend.o}
      ${lib_dir}/crtn.o PARENT_SCOPE)
endfunction()

set(PIDONE_MUSL OFF)
if(PIDONE_STATIC AND NOT PIDONE_LIBC STREQUAL "glibc")
  pidone_find_musl()
  if(PIDONE_MUSL_REASON STREQUAL "")
    set(PIDONE_MUSL ON)
  elseif(PIDONE_LIBC STREQUAL "musl")
    message(FATAL_ERROR "PIDONE_LIBC=musl: ${PIDONE_MUSL_REASON}")
  else()
    message(WARNING "musl not found: ${PIDONE_MUSL_REASON}. pidone is linked against static "
                    "glibc instead: ~720 KiB rather than ~122 KiB, slower to start; make release "
                    "refuses it. scripts/install-deps.sh build installs musl-dev.")
  endif()
endif()
if(PIDONE_MUSL)
  set(PIDONE_SHIPPED_LIBC musl CACHE INTERNAL "C library of the shipped pidone")
  message(STATUS "pidone, pidone-inspect: static, musl (${CMAKE_SYSTEM_PROCESSOR})")
elseif(PIDONE_STATIC)
  set(PIDONE_SHIPPED_LIBC glibc CACHE INTERNAL "C library of the shipped pidone")
else()
  set(PIDONE_SHIPPED_LIBC glibc-dynamic CACHE INTERNAL "C library of the shipped pidone")
endif()

# pidone_musl_objects(LAYER): LAYER_musl, the layer's sources compiled for musl, lean: an OBJECT
# library, so the executable's link line holds exactly its objects and then musl's libraries,
# in that order. Left out of compile_commands.json: lint reads each file once, as glibc's.
function(pidone_musl_objects layer)
  get_target_property(sources ${layer} SOURCES)
  get_target_property(includes ${layer} INCLUDE_DIRECTORIES)
  get_target_property(deps ${layer} LINK_LIBRARIES)
  if(NOT deps)
    set(deps)
  endif()
  add_library(${layer}_musl OBJECT ${sources})
  target_include_directories(${layer}_musl PUBLIC ${includes})
  foreach(dep ${deps})
    target_include_directories(${layer}_musl PUBLIC $<TARGET_PROPERTY:${dep},INCLUDE_DIRECTORIES>)
  endforeach()
  target_compile_options(${layer}_musl PRIVATE ${PIDONE_MUSL_COMPILE_OPTIONS}
                         -ffunction-sections -fdata-sections ${PIDONE_LEAN_FLAGS})
  set_target_properties(${layer}_musl PROPERTIES EXPORT_COMPILE_COMMANDS OFF)
endfunction()

# pidone_musl_layers(OUT LAYER...): the layers and every layer they link, transitively.
function(pidone_musl_layers out)
  set(all)
  set(todo ${ARGN})
  while(todo)
    list(POP_FRONT todo layer)
    if(layer IN_LIST all)
      continue()
    endif()
    list(APPEND all ${layer})
    get_target_property(deps ${layer} LINK_LIBRARIES)
    if(deps)
      list(APPEND todo ${deps})
    endif()
  endwhile()
  set(${out} ${all} PARENT_SCOPE)
endfunction()

# pidone_musl_executable(TARGET LAYER...): links TARGET statically against musl, with the
# objects of the layers (pidone_musl_objects) and of every layer they link, stripped, unused
# sections dropped. Its own sources (main.cc, src/musl/*.cc) stay in compile_commands.json:
# lint reads them with the musl flags they are built with.
# No RELRO segment: with no dynamic linker nothing applies it (musl's static start-up leaves
# those pages writable, as /proc/PID/smaps shows), and on aarch64 its 64 KiB alignment was
# 24 KiB of padding in the file.
function(pidone_musl_executable target)
  target_compile_options(${target} PRIVATE ${PIDONE_MUSL_COMPILE_OPTIONS} -ffunction-sections
                         -fdata-sections ${PIDONE_LEAN_FLAGS})
  pidone_musl_layers(layers ${ARGN})
  list(TRANSFORM layers APPEND _musl)
  target_link_libraries(${target} PRIVATE ${layers})
  target_link_options(${target} PRIVATE -static -nostdlib -no-pie -s -Wl,--gc-sections
                      -Wl,-z,norelro ${PIDONE_MUSL_START_FILES})
  # Cortex-A53 erratum 843419: Debian's aarch64 g++ has ld fix it by default with veneers, and
  # ld pads each veneer's stub out to a 4 KiB page (three of them were 12 KiB of the file,
  # and the count moves with any code change). Rewriting the ADRP into an ADR fixes it as
  # well and costs nothing; ld fails the link if a target is ever out of ADR's +-1 MiB reach,
  # which a binary this size cannot be.
  if(CMAKE_SYSTEM_PROCESSOR MATCHES "aarch64|arm64")
    target_link_options(${target} PRIVATE -Wl,--fix-cortex-a53-843419=adr)
  endif()
  target_link_libraries(${target} PRIVATE ${PIDONE_MUSL_END_FILES})
  # The compilers' version strings (.comment) are not needed to run it (lintian says as much).
  add_custom_command(TARGET ${target} POST_BUILD
    COMMAND ${CMAKE_OBJCOPY} --remove-section=.comment $<TARGET_FILE:${target}>)
endfunction()
