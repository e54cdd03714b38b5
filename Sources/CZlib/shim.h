// The system zlib (apt: zlib1g-dev): raw inflate for the ZIP container of .xlsx files.
#include <zlib.h>
