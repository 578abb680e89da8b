// The translation unit that builds the GUI tests' precompiled header (see tests/CMakeLists.txt).
