#pragma once
#include <cstdint>

namespace bp::study {

// SplitMix64 (Steele, Lea and Flood 2014; the seeding generator of xoshiro): a small generator whose
// sequence is fixed by its seed on every compiler and standard library, unlike std::uniform_*_distribution.
class SplitMix64 {
  public:
    explicit SplitMix64(uint64_t seed) : state_(seed) {}

    uint64_t next() {
        uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
        return z ^ (z >> 31);
    }
    // An integer in [0, n) (n > 0), by the multiply-shift of the top 64 bits (Lemire), without a loop.
    uint64_t below(uint64_t n) {
        return static_cast<uint64_t>((static_cast<unsigned __int128>(next()) * n) >> 64);
    }
    // A double in [0, 1) from the top 53 bits.
    double uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }

  private:
    uint64_t state_;
};

} // namespace bp::study
