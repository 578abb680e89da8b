#pragma once
#include <ATen/ATen.h>
#include <QtTest/QtTest>
#include <string>
#include <vector>
