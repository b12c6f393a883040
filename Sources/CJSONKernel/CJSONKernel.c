// CJSONKernel is header-only (include/CJSONKernel.h: static inline
// functions that Swift inlines); SwiftPM needs one source file per C target.
#include "CJSONKernel.h"
