// Compiled by the Layers.* tests with one include chosen by PROBE_HEADER, against the include
// roots of one layer: it builds only if that layer may include that header.
#include PROBE_HEADER

int layer_probe() {
  return 0;
}
