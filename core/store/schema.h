#pragma once
#include "core/store/sqlite.h"
#include <string>

// The run database's schema: versions kept in PRAGMA user_version, upgraded one step at a time.
namespace bp::schema {

// Version this program writes. A database with a higher user_version is refused, never modified.
constexpr int kCurrentVersion = 8;
// PRAGMA application_id of run databases ("BPEX"): another program's SQLite file is refused.
constexpr int kApplicationId = 0x42504558;

// Checks, without writing, that an existing file can be opened as a run database: an SQLite header,
// a plausible size, readable schema pages, our application id, and a version this program knows.
// Throws bp::Error naming the file and the problem. A missing or empty file passes (it is created).
void inspectExistingFile(const std::string& path);

// Brings db from its user_version up to target (kCurrentVersion; tests build older versions with less),
// each step in its own transaction.
void migrate(sql::Database& db, int target = kCurrentVersion);

} // namespace bp::schema
