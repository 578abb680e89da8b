#include "core/checkpoint/pickle_io.h"
#include "core/util/error.h"
#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <torch/csrc/jit/serialization/pickle.h>
#include <unistd.h>
#include <zlib.h>

namespace bp {

namespace {

std::string firstLine(const std::string& text) {
    return text.substr(0, text.find('\n'));
}

} // namespace

namespace pickle {

Dict makeDict() {
    return Dict(c10::StringType::get(), c10::AnyType::get());
}

void insertTensor(Dict& dict, const std::string& key, const at::Tensor& t, const std::string& path) {
    if (!t.defined())
        throw Error(path + ": cannot save \"" + key + "\": the tensor is empty (undefined)");
    dict.insert(key, t.detach().cpu().clone(at::MemoryFormat::Contiguous));
}

std::vector<char> save(const Dict& dict, const std::string& path) {
    try {
        return torch::jit::pickle_save(c10::IValue(dict));
    } catch (const std::exception& e) {
        throw Error(path + ": cannot serialise: " + firstLine(e.what()));
    }
}

Dict load(const std::string& path) {
    std::ifstream in(path, std::ios::binary | std::ios::ate);
    if (!in)
        throw Error(path + ": cannot open the file (" + std::strerror(errno) + ")");
    const std::streamsize size = in.tellg();
    if (size <= 0)
        throw Error(path + ": the file is empty");
    std::vector<char> bytes(static_cast<size_t>(size));
    in.seekg(0);
    if (!in.read(bytes.data(), size))
        throw Error(path + ": cannot read the file");
    c10::IValue value;
    try {
        value = torch::jit::pickle_load(bytes);
    } catch (const std::exception& e) {
        throw Error(path + ": not a readable .pt file (truncated or corrupt): " + firstLine(e.what()));
    }
    if (!value.isGenericDict())
        throw Error(path + ": holds a " + value.tagKind() + ", not a dict of named values");
    Dict dict = value.toGenericDict();
    for (const auto& entry : dict)
        if (!entry.key().isString())
            throw Error(path + ": a key of its dict is not a string");
    return dict;
}

const c10::IValue* find(const Dict& dict, const std::string& key) {
    const auto it = dict.find(c10::IValue(key));
    return it == dict.end() ? nullptr : &it->value();
}

int64_t checksum(const Dict& dict) {
    std::vector<std::string> keys;
    for (const auto& entry : dict)
        if (entry.key().toStringRef() != "checksum")
            keys.push_back(entry.key().toStringRef());
    std::sort(keys.begin(), keys.end());
    uLong crc = crc32_z(0L, Z_NULL, 0);
    auto add = [&](const void* data, size_t size) {
        crc = crc32_z(crc, static_cast<const Bytef*>(data), size);
    };
    auto addText = [&](const std::string& text) {
        add(text.data(), text.size());
        add("", 1); // separator
    };
    for (const std::string& key : keys) {
        addText(key);
        const c10::IValue& v = *find(dict, key);
        if (v.isTensor()) {
            const at::Tensor t = v.toTensor().cpu().contiguous();
            addText(c10::toString(t.scalar_type()));
            for (int64_t d : t.sizes())
                addText(std::to_string(d));
            add(t.data_ptr(), t.nbytes());
        } else if (v.isInt()) {
            addText(std::to_string(v.toInt()));
        } else if (v.isString()) {
            addText(v.toStringRef());
        } else if (v.isDouble()) {
            const double d = v.toDouble();
            add(&d, sizeof(d));
        } else {
            addText(v.tagKind());
        }
    }
    return static_cast<int64_t>(crc);
}

} // namespace pickle
} // namespace bp
