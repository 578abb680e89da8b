#include "core/optim/updater.h"
#include "core/util/error.h"

namespace bp {

Updater::Updater(Network& net, Optimizer& optimizer, GradientHook* hook)
    : net_(net), optimizer_(optimizer), hook_(hook) {}

Updater::~Updater() {
    for (Pending& p : pending_)
        if (p.work) {
            try {
                p.work->wait(); // never leave a reduction writing into freed gradients
            } catch (...) {
            }
        }
}

void Updater::gradientsReady(size_t index, LayerGradients gradients) {
    if (index >= net_.layers.size())
        throw Error("gradients for layer " + std::to_string(index) + " of a network of " +
                    std::to_string(net_.layers.size()));
    Pending p{index, std::make_shared<LayerGradients>(std::move(gradients)), nullptr};
    if (hook_) {
        p.gradients->materialize(net_.layers[index]);
        p.work = hook_->submit(index, *p.gradients);
    }
    pending_.push_back(std::move(p));
}

void Updater::flush() {
    UpdateTasks tasks;
    std::vector<Pending> pending = std::move(pending_);
    pending_.clear();
    for (Pending& p : pending) {
        if (p.work)
            p.work->wait();
        p.work.reset();
        optimizer_.addUpdate(tasks, net_.layers[p.index], p.index, std::move(p.gradients));
    }
    const bool cpu = net_.device().is_cpu();
    tasks.concurrent.run(cpu);
    tasks.serial.run(false);
}

} // namespace bp
