// pcre2.h needs the code unit width chosen before it is included; we use the 8-bit library
// (UTF-8 subjects), so Swift calls the pcre2_*_8 functions.
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
