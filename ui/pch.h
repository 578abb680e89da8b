#pragma once
#include <ATen/ATen.h>
#include <QtWidgets>
#include <string>
#include <vector>
