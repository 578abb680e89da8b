#pragma once
// The GUI tests' precompiled header: the same as pch.h, built with the Qt Widgets definitions that
// linking burstprop_ui adds (a header built without them is refused by the compiler).
#include "support/pch.h"
#include <QtWidgets>
