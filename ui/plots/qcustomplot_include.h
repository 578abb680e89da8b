#pragma once
// QCustomPlot's header uses Qt's keyword macros, which this project turns off (LibTorch uses `slots` as a
// name). Define them for this one header only; include this instead of <qcustomplot.h>.
#define signals Q_SIGNALS
#define slots Q_SLOTS
#define emit Q_EMIT
#define foreach Q_FOREACH
#include <qcustomplot.h>
#undef signals
#undef slots
#undef emit
#undef foreach
