# What `make install PREFIX=DIR` (cmake --install) puts where, in three components:
#   pidone  bin/pidone, bin/pidone-inspect, the man pages, the docs, and the drop-in names
#           under libexec/pidone/ (for Docker's init-path or podman's init_path, without
#           taking over bin/tini);
#   dropin  bin/tini, tini-static, docker-init, dumb-init, catatonit and podman's
#           libexec/podman/catatonit, all symlinks to pidone, and their man pages as links
#           to pidone.1: the drop-in, when asked for;
#   lab     bin/pidone-lab and its programs (lab/CMakeLists.txt).
# cmake --install without --component installs all three.

install(TARGETS pidone RUNTIME DESTINATION bin COMPONENT pidone)
install(FILES docs/man/pidone.1 docs/man/pidone-inspect.1 DESTINATION share/man/man1
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
foreach(name tini docker-init dumb-init catatonit)
  pidone_install_symlink(share/man/man1/${name}.1 pidone.1 dropin)
endforeach()
