#include "core/train/execution.h"
#include "core/util/error.h"
#include <ATen/Context.h>
#include <ATen/Parallel.h>
#include <algorithm>
#include <thread>

namespace bp {

int applyThreadCount(int threads) {
    const int n = threads > 0 ? threads : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    at::set_num_threads(n);
    return n;
}

at::Device resolveDevice(const std::string& name) {
    if (name == "cpu")
        return at::Device(at::kCPU);
    if (name == "cuda" || name.rfind("cuda:", 0) == 0) {
        if (!at::hasCUDA())
            throw Error("device '" + name + "': this LibTorch has no CUDA support (or no GPU is visible)");
        return at::Device(name);
    }
    throw Error("device '" + name + "' is not one of cpu, cuda, cuda:N");
}

} // namespace bp
