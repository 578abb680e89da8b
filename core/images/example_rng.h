#pragma once
// The random numbers of one example's augmentation: a SplitMix64 stream seeded from (run seed, epoch,
// example index), so an image's crop and flip are the same whatever thread decodes it, and a resumed run
// draws what the uninterrupted one drew. Integers and doubles come from its own arithmetic, never from
// std::uniform_*_distribution, whose results differ between standard libraries.
#include <cstdint>

namespace bp::images {

class ExampleRng {
  public:
    ExampleRng(uint64_t seed, uint64_t epoch, uint64_t index);
    // The next 64 random bits.
    uint64_t next();
    // Uniform in [0, 1), from the top 53 bits.
    double uniform();
    // Uniform in [lo, hi).
    double uniform(double lo, double hi);
    // Uniform over lo..hiInclusive, without modulo bias (rejection).
    int64_t integer(int64_t lo, int64_t hiInclusive);

  private:
    uint64_t state_;
};

} // namespace bp::images
