#include "core/images/example_rng.h"
#include "core/util/error.h"
#include <string>

namespace bp::images {

namespace {

constexpr uint64_t kGolden = 0x9E3779B97F4A7C15ull;

// SplitMix64's output function (Steele, Lea, Flood 2014): a bijection that spreads every input bit.
uint64_t mix(uint64_t z) {
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

} // namespace

// Each part is mixed before the next joins it, so (seed, epoch, index) and, say, (seed, index, epoch) start
// unrelated streams.
ExampleRng::ExampleRng(uint64_t seed, uint64_t epoch, uint64_t index)
    : state_(mix(mix(mix(seed + kGolden) ^ (epoch + kGolden)) ^ (index + kGolden))) {}

uint64_t ExampleRng::next() {
    state_ += kGolden;
    return mix(state_);
}

double ExampleRng::uniform() {
    return double(next() >> 11) * 0x1.0p-53;
}

double ExampleRng::uniform(double lo, double hi) {
    return lo + (hi - lo) * uniform();
}

int64_t ExampleRng::integer(int64_t lo, int64_t hiInclusive) {
    if (hiInclusive < lo)
        throw Error("ExampleRng::integer: empty range " + std::to_string(lo) + ".." +
                    std::to_string(hiInclusive));
    const uint64_t range = uint64_t(hiInclusive) - uint64_t(lo) + 1; // 0: all 2^64 values
    if (range == 0)
        return int64_t(next());
    // The largest multiple of range that fits: values at or above it would favour the small residues.
    const uint64_t limit = uint64_t(0) - (uint64_t(0) - range) % range; // 2^64 - (2^64 mod range), mod 2^64
    uint64_t r = next();
    while (limit != 0 && r >= limit)
        r = next();
    return int64_t(uint64_t(lo) + r % range);
}

} // namespace bp::images
