#include "ui/form/preset_values.h"
#include "core/config/hyperparameters.h"
#include "core/rules/rule_registry.h"
#include "core/setup/defaults.h"
#include "core/util/error.h"
#include "core/util/number_text.h"
#include <QJsonArray>
#include <QJsonDocument>
#include <cerrno>
#include <cmath>
#include <cstdlib>

namespace bp::ui {

namespace {

constexpr double kLargestExactInteger = 9007199254740992.0; // 2^53

QString jsonText(const QJsonValue& v) {
    switch (v.type()) {
    case QJsonValue::Null:
        return QStringLiteral("null");
    case QJsonValue::Bool:
        return v.toBool() ? QStringLiteral("true") : QStringLiteral("false");
    case QJsonValue::Double:
        return QString::number(v.toDouble(), 'g', 17);
    case QJsonValue::String:
        return QLatin1Char('"') + v.toString() + QLatin1Char('"');
    case QJsonValue::Array:
        return QString::fromUtf8(QJsonDocument(v.toArray()).toJson(QJsonDocument::Compact));
    case QJsonValue::Object:
        return QString::fromUtf8(QJsonDocument(v.toObject()).toJson(QJsonDocument::Compact));
    case QJsonValue::Undefined:
        break;
    }
    return QStringLiteral("nothing");
}

// A bp::Error from a core parser, as a message naming the key.
template <typename T>
bool parseName(const QString& key, const QJsonValue& v, T (*parse)(const std::string&), T& out,
               QStringList& errors) {
    if (!v.isString()) {
        errors << QStringLiteral("%1: %2 is not a name").arg(key, jsonText(v));
        return false;
    }
    try {
        out = parse(v.toString().toStdString());
        return true;
    } catch (const Error& e) {
        errors << QStringLiteral("%1: %2").arg(key, QString::fromStdString(e.what()));
        return false;
    }
}

// A rule's name as the registry writes it; a bp::Error listing the rules for an unknown one.
std::string registeredRuleName(const std::string& name) {
    return requireRule(name).name;
}

void setText(const QString& key, const QJsonValue& v, std::string& field, QStringList& errors) {
    if (v.isString())
        field = v.toString().toStdString();
    else
        errors << QStringLiteral("%1: %2 is not text").arg(key, jsonText(v));
}

// Whole numbers in [1, kMaxLayerWidth] into out (left as it was when one is not).
bool layerWidths(const QJsonArray& values, std::vector<int>& out) {
    std::vector<int> parsed;
    for (const QJsonValue& w : values) {
        const double d = w.toDouble(-1);
        if (!w.isDouble() || d != std::floor(d) || d < 1 || d > kMaxLayerWidth)
            return false;
        parsed.push_back(static_cast<int>(d));
    }
    out = std::move(parsed);
    return true;
}

void setWidths(const QJsonValue& v, std::vector<int>& widths, QStringList& errors) {
    const QString problem =
        QStringLiteral("hidden_widths: %1 is not a list of at most %2 layer widths in [1, %3]")
            .arg(jsonText(v))
            .arg(kMaxHiddenLayers)
            .arg(kMaxLayerWidth);
    if (!v.isArray() || v.toArray().size() > kMaxHiddenLayers) {
        errors << problem;
        return;
    }
    if (!layerWidths(v.toArray(), widths))
        errors << problem;
}

void setChannels(const QJsonValue& v, std::vector<int>& channels, QStringList& errors) {
    const QString problem = QStringLiteral("conv_channels: %1 is not a list of 7 channel counts in [1, %2]")
                                .arg(jsonText(v))
                                .arg(kMaxLayerWidth);
    if (!v.isArray() || (v.toArray().size() != 7 && !v.toArray().isEmpty())) {
        errors << problem;
        return;
    }
    if (!layerWidths(v.toArray(), channels))
        errors << problem;
}

void setSeed(const QJsonValue& v, uint64_t& seed, QStringList& errors) {
    if (v.isDouble()) {
        const double d = v.toDouble();
        if (d == std::floor(d) && d >= 0 && d <= kLargestExactInteger) {
            seed = static_cast<uint64_t>(d);
            return;
        }
    } else if (v.isString()) {
        const std::string text = v.toString().toStdString();
        const std::optional<uint64_t> parsed = parseUnsigned(text);
        if (parsed && !text.empty() && text[0] >= '0' && text[0] <= '9') {
            seed = *parsed;
            return;
        }
    }
    errors << QStringLiteral("seed: %1 is not an integer in [0, 18446744073709551615] "
                             "(write seeds above 2^53 as a string of digits)")
                  .arg(jsonText(v));
}

void setParam(const ParamSpec& spec, const QJsonValue& v, RunConfig& config, QStringList& errors) {
    const QString key = QString::fromLatin1(spec.key);
    if (spec.type == ParamType::Bool) {
        if (v.isBool())
            spec.set(config, v.toBool() ? 1.0 : 0.0);
        else
            errors << QStringLiteral("%1: %2 is not true or false").arg(key, jsonText(v));
        return;
    }
    const double d = v.toDouble();
    const bool integral = spec.type == ParamType::Int;
    const QString range = QStringLiteral("[%1, %2]")
                              .arg(QString::number(spec.min, 'g', 12), QString::number(spec.max, 'g', 12));
    if (!v.isDouble() || !std::isfinite(d) || (integral && d != std::floor(d)))
        errors << QStringLiteral("%1: %2 is not %3 (allowed range %4)")
                      .arg(key, jsonText(v),
                           integral ? QStringLiteral("an integer") : QStringLiteral("a number"), range);
    else if (d < spec.min || d > spec.max)
        errors << QStringLiteral("%1: %2 is out of range %3").arg(key, jsonText(v), range);
    else
        spec.set(config, d);
}

} // namespace

QJsonObject presetValues(const RunConfig& c) {
    QJsonObject o;
    auto text = [](const std::string& s) { return QString::fromStdString(s); };
    o.insert("dataset", text(toString(c.dataset)));
    o.insert("data_dir", text(c.dataDir));
    o.insert("download", c.download);
    o.insert("mirror", text(c.mirror));
    o.insert("architecture", text(toString(c.architecture)));
    QJsonArray widths;
    for (int w : c.hiddenWidths)
        widths.append(w);
    o.insert("hidden_widths", widths);
    if (!c.convChannels.empty()) { // empty: the reference's for the rule (see imagenetChannels)
        QJsonArray channels;
        for (int w : c.convChannels)
            channels.append(w);
        o.insert("conv_channels", channels);
    }
    o.insert("activation", text(toString(c.activation)));
    o.insert("output", text(toString(c.output)));
    o.insert("rule", text(c.rule));
    o.insert("perturbation", text(toString(c.perturbation)));
    o.insert("optimizer", text(toString(c.optimizer)));
    o.insert("dtype", text(toString(c.dtype)));
    if (static_cast<double>(c.seed) <= kLargestExactInteger)
        o.insert("seed", static_cast<double>(c.seed));
    else
        o.insert("seed", QString::number(c.seed));
    o.insert("device", text(c.device));
    o.insert("info", text(c.info));
    for (const ParamSpec& spec : hyperparameters()) {
        if (spec.type == ParamType::Bool)
            o.insert(spec.key, spec.get(c) != 0.0);
        else
            o.insert(spec.key, spec.get(c));
    }
    return o;
}

QStringList applyPresetValues(const QJsonObject& values, RunConfig& c) {
    QStringList errors;
    for (auto it = values.begin(); it != values.end(); ++it) {
        const QString& key = it.key();
        const QJsonValue v = it.value();
        if (const ParamSpec* spec = findHyperparameter(key.toStdString()))
            setParam(*spec, v, c, errors);
        else if (key == "dataset")
            parseName(key, v, &parseDatasetKind, c.dataset, errors);
        else if (key == "architecture")
            parseName(key, v, &parseArchitecture, c.architecture, errors);
        else if (key == "rule")
            parseName(key, v, &registeredRuleName, c.rule, errors);
        else if (key == "activation")
            parseName(key, v, &parseActivation, c.activation, errors);
        else if (key == "output")
            parseName(key, v, &parseOutputKind, c.output, errors);
        else if (key == "optimizer")
            parseName(key, v, &parseOptimizerKind, c.optimizer, errors);
        else if (key == "dtype")
            parseName(key, v, &parseDtype, c.dtype, errors);
        else if (key == "perturbation")
            parseName(key, v, &parsePerturbationMode, c.perturbation, errors);
        else if (key == "hidden_widths")
            setWidths(v, c.hiddenWidths, errors);
        else if (key == "conv_channels")
            setChannels(v, c.convChannels, errors);
        else if (key == "seed")
            setSeed(v, c.seed, errors);
        else if (key == "data_dir")
            setText(key, v, c.dataDir, errors);
        else if (key == "mirror")
            setText(key, v, c.mirror, errors);
        else if (key == "device")
            setText(key, v, c.device, errors);
        else if (key == "info")
            setText(key, v, c.info, errors);
        else if (key == "download" && v.isBool())
            c.download = v.toBool();
        else if (key == "download")
            errors << QStringLiteral("download: %1 is not true or false").arg(jsonText(v));
        else
            errors << QStringLiteral("%1: unknown setting").arg(key);
    }
    // A preset that only names a dataset must still give a network that takes its images.
    if (values.contains("dataset") && !values.contains("architecture")) {
        if (c.dataset == DatasetKind::Cifar10)
            c.architecture = Architecture::Cifar10Conv;
        else if (isImageFolder(c.dataset))
            c.architecture = Architecture::ImagenetConv;
        else if (c.architecture == Architecture::Cifar10Conv || c.architecture == Architecture::ImagenetConv)
            c.architecture = Architecture::FullyConnected;
    }
    if (!errors.isEmpty())
        return errors;
    for (const ConfigIssue& issue : validate(c)) {
        const QString field = QString::fromStdString(issue.field);
        const QString message = QString::fromStdString(issue.message);
        errors << (message.startsWith(field) ? message : field + QStringLiteral(": ") + message);
    }
    return errors;
}

} // namespace bp::ui
