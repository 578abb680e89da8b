// Fuzzes the explorer's presets reader (ui/form/preset_library.cpp and preset_values.cpp, Qt Core only, built
// here without the GUI): any bytes as the user's presets.json load as presets or as a load error, never an
// exception or a crash (the library promises that nothing throws), and each preset read is applied to the
// default configuration. An accepted one gives a valid configuration whose values, written as a preset and
// applied again, give the same configuration (what saving it as a user preset and choosing it does).
#include "core/config/hyperparameters.h"
#include "core/setup/defaults.h"
#include "fuzz_support.h"
#include "ui/form/preset_library.h"
#include "ui/form/preset_values.h"
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    using namespace bp;
    const std::string path = fuzz::writeTempFile(data, size, "presets.json");
    const ui::PresetLibrary library(QString::fromStdString(path));
    if (!library.loadError().isEmpty() && library.loadError().contains(QStringLiteral("built-in")))
        std::abort(); // the compiled-in presets always read
    const RunConfig base = defaultConfig(DatasetKind::Mnist);
    for (const ui::Preset& preset : library.presets()) {
        if (preset.builtIn)
            continue;
        const ui::AppliedPreset applied = ui::PresetLibrary::apply(preset, base);
        if (!applied)
            continue;
        if (!validate(applied.config).empty())
            std::abort();
        RunConfig again = base;
        if (!ui::applyPresetValues(ui::presetValues(applied.config), again).isEmpty() ||
            toJson(again) != toJson(applied.config))
            std::abort();
    }
    return 0;
}
