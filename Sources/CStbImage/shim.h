// Debian's libstb-dev ships stb compiled into libstb (the implementations are in the library), so only the
// declarations are included here. pkg-config "stb" adds -I/usr/include/stb.
#include <stb_image.h>
#include <stb_image_write.h>
