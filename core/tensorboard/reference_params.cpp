#include "core/tensorboard/reference_params.h"
#include "core/setup/config_options.h"
#include "core/util/error.h"
#include <algorithm>
#include <sstream>

namespace bp::tensorboard {

namespace {

// The reference scripts' labels (train_mnist.py, train_cifar10.py), and the results folder's own.
const std::pair<const char*, const char*> kLabels[] = {
    {"Number of epochs", "n_epochs"},
    {"Batch size", "batch_size"},
    {"Using validation set", "validation"},
    {"Convolutional network", "conv_net"},
    {"Number of hidden layers", "n_hidden_layers"},
    {"Feedback weight initialization standard deviation", "weight_fa_std"},
    {"Momentum", "momentum"},
    {"Weight decay", "weight_decay"},
    {"Output layer baseline burst probability", "p_baseline"},
    {"Using backprop", "use_backprop"},
    {"Feedback weight learning", "weight_fa_learning"},
    {"Recurrent input", "recurrent_input"},
    {"Recurrent weight initialization standard deviation", "weight_r_range"},
    {"Recurrent weight learning", "weight_r_learning"},
    {"Recurrent weight learning rate", "recurrent_lr"},
    {"Using node pertubation", "use_node_pertubation"},
    {"Sequential node pertubation", "sequential_pertubation"},
    {"Perturb only single units", "perturb_units"},
    {"Mean of node pertubation noise", "xi_mean"},
    {"Standrd deviation of node pertubation noise", "xi_std"}, // sic, as the scripts write it
    {"Standard deviation of node pertubation noise", "xi_std"},
    {"Other info", "info"},
    {"Dataset", "dataset"},
    {"Learning rule", "rule"},
    {"Seed", "seed"},
    {"Device", "device"},
    {"Hidden layer widths", "hidden_widths"},
    {"Data directory", "data_dir"},
};
// Lines of the results folder that describe rather than set (the settings they show have lines of their own).
const char* const kDescriptive[] = {"Program", "Command line", "Network"};

std::string trim(const std::string& s) {
    const size_t begin = s.find_first_not_of(" \t\r");
    if (begin == std::string::npos)
        return {};
    return s.substr(begin, s.find_last_not_of(" \t\r") + 1 - begin);
}

// "[0.1, 0.1, 0.01]" → {"0.1", "0.1", "0.01"}.
std::vector<std::string> listItems(const std::string& value) {
    std::string inner = value;
    if (!inner.empty() && inner.front() == '[')
        inner.erase(0, 1);
    if (!inner.empty() && inner.back() == ']')
        inner.pop_back();
    std::vector<std::string> items;
    std::stringstream in(inner);
    std::string item;
    while (std::getline(in, item, ','))
        if (!trim(item).empty())
            items.push_back(trim(item));
    return items;
}

const char* keyOfLabel(const std::string& label) {
    for (const auto& [text, key] : kLabels)
        if (label == text)
            return key;
    return nullptr;
}

OptionItem option(const std::string& key, const std::string& value, const std::string& where) {
    OptionItem item;
    item.key = key;
    item.flag = where;
    item.value = value;
    item.hasValue = true;
    item.kind = configOptionKind(key).value_or(OptionKind::Text);
    item.spec = findHyperparameter(key);
    return item;
}

} // namespace

ReferenceParams parseReferenceParams(const std::string& text, const std::string& name,
                                     std::optional<DatasetKind> scriptDataset) {
    ReferenceParams result;
    std::vector<OptionItem> items;
    std::vector<std::string> rates;
    std::string ratesWhere;
    bool convLine = false, datasetLine = false, backprop = false;
    std::istringstream in(text);
    std::string line;
    for (int number = 1; std::getline(in, line); ++number) {
        line = trim(line);
        const size_t colon = line.find(':');
        if (line.empty() || colon == std::string::npos || line.rfind("Simulation run @", 0) == 0 ||
            line.rfind("Hyperparameters (", 0) == 0)
            continue;
        const std::string label = trim(line.substr(0, colon));
        std::string value = trim(line.substr(colon + 1));
        const std::string where = name + ":" + std::to_string(number) + " '" + label + "'";
        if (label == "Using Adam optimizer" ||
            label == "Output layer target burst probability scaling factor")
            throw Error(where +
                        ": a params.txt of train_imagenet.py; only the MNIST and CIFAR-10 scripts' runs "
                        "can be imported");
        if (label.size() > 1 &&
            label[0] == '-') { // the results folder's "-hidden_lr: 0.1 [0, 10] ... # help"
            const std::string key = normalisedOptionKey(label.substr(label.find_first_not_of('-')));
            if (!configOptionKind(key)) {
                result.unread.push_back(label);
                continue;
            }
            value = value.substr(0, value.find_first_of(" \t"));
            if (!value.empty())
                items.push_back(option(key, value, where));
            continue;
        }
        if (label == "Feedforward learning rates") {
            rates = listItems(value);
            ratesWhere = where;
            continue;
        }
        const char* key = keyOfLabel(label);
        if (!key) {
            if (std::none_of(std::begin(kDescriptive), std::end(kDescriptive),
                             [&](const char* d) { return label == d; }))
                result.unread.push_back(label);
            continue;
        }
        const std::string k = key;
        if (k == "hidden_widths") {
            std::string widths;
            for (const std::string& w : listItems(value))
                widths += (widths.empty() ? "" : ",") + w;
            value = widths.empty() ? "none" : widths;
        } else if (k == "data_dir" && value == "(default)") {
            continue;
        }
        convLine = convLine || k == "conv_net";
        datasetLine = datasetLine || k == "dataset";
        if (k == "use_backprop")
            backprop = value == "True" || value == "true";
        items.push_back(option(k, value, where));
    }
    if (!datasetLine) {
        const DatasetKind dataset = scriptDataset ? *scriptDataset
                                    : convLine    ? DatasetKind::Mnist
                                                  : DatasetKind::Cifar10;
        items.insert(items.begin(), option("dataset", toString(dataset), name));
    }
    // The learning rates of every layer: hidden layers first, the output layer last; backprop gives every
    // layer the output rate.
    if (!rates.empty()) {
        items.push_back(option("output_lr", rates.back(), ratesWhere));
        if (rates.size() > 1 && !backprop)
            items.push_back(option("hidden_lr", rates.front(), ratesWhere));
    }
    result.config = parseConfigOptions(items);
    return result;
}

} // namespace bp::tensorboard
