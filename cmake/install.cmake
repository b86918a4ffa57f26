# What `make install PREFIX=DIR` (cmake --install) puts where, in three components:
#   pidone  bin/pidone, bin/pidone-inspect, the man pages (gzip -9n, as Debian's), the docs
#           with the copyright file and the changelog, lintian's overrides, and the drop-in
#           names under libexec/pidone/ (for Docker's init-path or podman's init_path,
#           without taking over bin/tini);
#   dropin  bin/tini, tini-static, docker-init, dumb-init, catatonit and podman's
#           libexec/podman/catatonit, all symlinks to pidone, their man pages as links to
#           pidone.1.gz, and the package's own copyright and changelog: the drop-in, when
#           asked for;
#   lab     bin/pidone-lab and its programs (lab/CMakeLists.txt).
# cmake --install without --component installs all three.

install(TARGETS pidone RUNTIME DESTINATION bin COMPONENT pidone)

# Compressed at build time, without a name or a time stamp in the gzip header: the same
# bytes on every build (reproducible packages and tarballs).
set(PIDONE_GZIPPED)
foreach(source docs/man/pidone.1 docs/man/pidone-inspect.1 packaging/changelog)
  get_filename_component(name ${source} NAME)
  set(gzipped ${PROJECT_BINARY_DIR}/gz/${name}.gz)
  add_custom_command(OUTPUT ${gzipped}
    COMMAND ${CMAKE_COMMAND} -E make_directory ${PROJECT_BINARY_DIR}/gz
    COMMAND gzip -9n -c ${PROJECT_SOURCE_DIR}/${source} > ${gzipped}
    DEPENDS ${PROJECT_SOURCE_DIR}/${source} VERBATIM)
  list(APPEND PIDONE_GZIPPED ${gzipped})
endforeach()
add_custom_target(pidone_gzipped ALL DEPENDS ${PIDONE_GZIPPED})
add_dependencies(pidone pidone_gzipped)  # built with pidone, as a cross release builds only it
install(FILES ${PROJECT_BINARY_DIR}/gz/pidone.1.gz ${PROJECT_BINARY_DIR}/gz/pidone-inspect.1.gz
        DESTINATION share/man/man1 COMPONENT pidone)
# Each package's doc directory: the copyright file (packaging/copyright, Debian's
# machine-readable format) and the changelog (a native package's changelog.gz).
foreach(component pidone dropin)
  set(package pidone)
  if(component STREQUAL "dropin")
    set(package pidone-dropin)
  endif()
  install(FILES packaging/copyright DESTINATION share/doc/${package} COMPONENT ${component})
  install(FILES ${PROJECT_BINARY_DIR}/gz/changelog.gz DESTINATION share/doc/${package}
          COMPONENT ${component})
endforeach()
install(FILES packaging/lintian-overrides DESTINATION share/lintian/overrides RENAME pidone
        COMPONENT pidone)
install(FILES README.md docs/quickstart.md docs/usage.md docs/options.md docs/drain.md
              docs/exit-codes.md docs/compat.md docs/inspect.md docs/kubernetes.md
              docs/troubleshooting.md docs/services.md
        DESTINATION share/doc/pidone COMPONENT pidone)

# A relative symlink DIR/LINK -> TARGET, made at install time (DESTDIR honoured).
function(pidone_install_symlink link target component)
  get_filename_component(dir "${link}" DIRECTORY)
  install(CODE "
    set(dest \"\$ENV{DESTDIR}\${CMAKE_INSTALL_PREFIX}/${link}\")
    file(MAKE_DIRECTORY \"\$ENV{DESTDIR}\${CMAKE_INSTALL_PREFIX}/${dir}\")
    file(REMOVE \"\${dest}\")
    file(CREATE_LINK \"${target}\" \"\${dest}\" SYMBOLIC)
    message(STATUS \"Installing: \${dest} -> ${target}\")"
    COMPONENT ${component})
endfunction()

foreach(name ${PIDONE_PERSONALITIES})
  pidone_install_symlink(libexec/pidone/${name} ../../bin/pidone pidone)
  pidone_install_symlink(bin/${name} pidone dropin)
endforeach()
pidone_install_symlink(libexec/podman/catatonit ../../bin/pidone dropin)
# `man tini` and the rest then explain what answers to that name.
foreach(name tini tini-static docker-init dumb-init catatonit)
  pidone_install_symlink(share/man/man1/${name}.1.gz pidone.1.gz dropin)
endforeach()
