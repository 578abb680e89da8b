#include "core/checkpoint/pickle_io.h"
#include "core/checkpoint/pt_archive.h"
#include "core/util/error.h"
#include <algorithm>
#include <caffe2/serialize/inline_container.h>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <torch/csrc/jit/serialization/import_read.h>
#include <torch/csrc/jit/serialization/pickle.h>
#include <unistd.h>
#include <zlib.h>

namespace bp {

namespace {

std::string firstLine(const std::string& text) {
    return text.substr(0, text.find('\n'));
}

// The file's bytes for LibTorch's zip reader, which asks for ranges past the end of a truncated file:
// torch::jit::pickle_load's own reader (LibTorch 1.13) copies them from beyond its buffer; this one
// gives what there is, and the zip reader then reports the file as truncated.
class BoundedReader : public caffe2::serialize::ReadAdapterInterface {
  public:
    explicit BoundedReader(const std::vector<char>& bytes) : bytes_(bytes) {}
    size_t size() const override { return bytes_.size(); }
    size_t read(uint64_t pos, void* buf, size_t n, const char* /*what*/) const override {
        if (pos >= bytes_.size())
            return 0;
        n = std::min<uint64_t>(n, bytes_.size() - pos);
        std::memcpy(buf, bytes_.data() + pos, n);
        return n;
    }

  private:
    const std::vector<char>& bytes_;
};

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
    checkPtArchive(bytes, path);
    c10::IValue value;
    try {
        // What torch::jit::pickle_load does, with a reader that stays inside the bytes.
        caffe2::serialize::PyTorchStreamReader reader(std::make_shared<BoundedReader>(bytes));
        value = torch::jit::readArchiveAndTensors("data", /*pickle_prefix=*/"", /*tensor_prefix=*/"",
                                                  c10::nullopt, c10::nullopt, c10::nullopt, reader);
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
