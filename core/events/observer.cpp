#include "core/events/observer.h"

namespace bp {

std::string toString(RunStatus status) {
    switch (status) {
    case RunStatus::Queued:
        return "queued";
    case RunStatus::Running:
        return "running";
    case RunStatus::Paused:
        return "paused";
    case RunStatus::Completed:
        return "completed";
    case RunStatus::Stopped:
        return "stopped";
    case RunStatus::Diverged:
        return "diverged";
    case RunStatus::Failed:
        return "failed";
    case RunStatus::Interrupted:
        return "interrupted";
    }
    return "?";
}

bool isFinal(RunStatus status) {
    return status != RunStatus::Queued && status != RunStatus::Running && status != RunStatus::Paused;
}

std::string toString(CheckpointKind kind) {
    switch (kind) {
    case CheckpointKind::Initial:
        return "initial";
    case CheckpointKind::Latest:
        return "latest";
    case CheckpointKind::Best:
        return "best";
    case CheckpointKind::Epoch:
        return "epoch";
    }
    return "latest";
}

} // namespace bp
