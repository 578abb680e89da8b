#pragma once
#include <cstdint>

namespace bp {

// Distinct random streams from one run seed: the network's initialisation (then the rule's own matrices),
// the validation split and the data order (+1), augmentation, and the rule's noise.
enum class Stream : uint64_t { Init = 0, Order = 1, Augment = 2, Rule = 3 };
inline uint64_t streamSeed(uint64_t seed, Stream stream) {
    return seed * 4 + static_cast<uint64_t>(stream);
}

} // namespace bp
