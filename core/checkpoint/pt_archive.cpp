#include "core/checkpoint/pt_archive.h"
#include "core/util/error.h"
#include <algorithm>
#include <caffe2/serialize/versions.h>
#include <cctype>
#include <cstdint>
#include <cstring>
#include <map>
#include <memory>

namespace bp::pickle {
namespace {

constexpr int kMaxDepth = 100; // nesting of tuples and lists; torch.save's dicts of tensors need 3

class Checker {
  public:
    Checker(const std::vector<char>& bytes, const std::string& path) : bytes_(bytes), path_(path) {}

    [[noreturn]] void fail(const std::string& what) const {
        throw Error(path_ + ": not a readable .pt file (truncated or corrupt): " + what);
    }

    // Little-endian unsigned number of n bytes at pos (the caller checked that they exist).
    uint64_t number(uint64_t pos, int n) const {
        uint64_t value = 0;
        for (int i = n - 1; i >= 0; --i)
            value = value << 8 | uint8_t(bytes_[pos + uint64_t(i)]);
        return value;
    }

    struct Record {
        uint64_t offset = 0;
        uint64_t size = 0;
        bool folder = false;
    };

    // The records of the zip archive by lower-case name (LibTorch looks names up ignoring case), found
    // as LibTorch's miniz finds them: the last end-of-directory record, the zip64 one when present.
    void readDirectory() {
        const uint64_t n = bytes_.size();
        if (n < 22)
            fail("too short for a zip archive (" + std::to_string(n) + " bytes)");
        const uint64_t lowest = n - 22 > 65535 ? n - 22 - 65535 : 0;
        uint64_t end = n - 22;
        while (number(end, 4) != 0x06054b50) {
            if (end == lowest)
                fail("no end of a zip directory (not a .pt file, or cut short)");
            --end;
        }
        uint64_t entries = number(end + 10, 2), dirSize = number(end + 12, 4),
                 dirOffset = number(end + 16, 4);
        if (end >= 20 && number(end - 20, 4) == 0x07064b50) { // zip64 locator
            const uint64_t z = number(end - 20 + 8, 8);
            if (n < 56 || z > n - 56)
                fail("the zip64 directory lies outside the file");
            if (number(z, 4) == 0x06064b50) {
                entries = number(z + 32, 8);
                dirSize = number(z + 40, 8);
                dirOffset = number(z + 48, 8);
            }
        }
        if (dirSize > n || dirOffset > n - dirSize)
            fail("the zip directory lies outside the file");
        if (entries == 0)
            fail("an empty archive");
        if (entries > dirSize / 46)
            fail("the zip directory claims " + std::to_string(entries) + " records in " +
                 std::to_string(dirSize) + " bytes");
        const uint64_t dirEnd = dirOffset + dirSize;
        uint64_t p = dirOffset;
        for (uint64_t i = 0; i < entries; ++i) {
            if (dirEnd - p < 46 || number(p, 4) != 0x02014b50)
                fail("damaged zip directory at byte " + std::to_string(p));
            const uint64_t method = number(p + 10, 2), nameSize = number(p + 28, 2),
                           extraSize = number(p + 30, 2), commentSize = number(p + 32, 2);
            uint64_t compressed = number(p + 20, 4), size = number(p + 24, 4), local = number(p + 42, 4);
            if (dirEnd - p - 46 < nameSize + extraSize + commentSize)
                fail("damaged zip directory at byte " + std::to_string(p));
            const std::string name(bytes_.data() + p + 46, nameSize);
            readZip64Sizes(p + 46 + nameSize, extraSize, size, compressed, local);
            if (method != 0 || compressed != size)
                fail("record '" + name + "' is compressed (torch stores records as they are)");
            if (number(p + 8, 2) & 0x61) // encrypted, patch data, strong encryption: miniz refuses them
                fail("record '" + name + "' is encrypted");
            // miniz refuses to read a folder: a name ending in '/', or a DOS folder attribute.
            const bool folder = (nameSize > 0 && bytes_[p + 46 + nameSize - 1] == '/') ||
                                (number(p + 5, 1) == 0 && (number(p + 38, 4) & 0x10));
            if (local > n || n - local < 30 || number(local, 4) != 0x04034b50)
                fail("record '" + name + "' has no local header inside the file");
            const uint64_t start = local + 30 + number(local + 26, 2) + number(local + 28, 2);
            if (start > n || size > n - start)
                fail("record '" + name + "' of " + std::to_string(size) +
                     " bytes runs past the end of the file");
            std::string key = name;
            std::transform(key.begin(), key.end(), key.begin(),
                           [](unsigned char c) { return std::tolower(c); });
            if (!records_.emplace(key, Record{start, size, folder}).second)
                fail("two records named '" + name + "'");
            if (i == 0)
                first_ = name;
            p += 46 + nameSize + extraSize + commentSize;
        }
    }

    const Record* record(std::string name) const {
        std::transform(name.begin(), name.end(), name.begin(),
                       [](unsigned char c) { return std::tolower(c); });
        const auto it = records_.find(name);
        return it == records_.end() ? nullptr : &it->second;
    }

    // The folder of the archive's first record, which LibTorch prefixes to every name.
    std::string folder() const {
        const std::size_t slash = first_.find('/');
        if (slash == std::string::npos)
            fail("its first record '" + first_ + "' is in no folder");
        return first_.substr(0, slash);
    }

    // The "version" record, as LibTorch reads it (std::stoull, then its range): LibTorch's reader would
    // throw from its constructor, after miniz took memory that it then never gives back.
    void checkVersion(const std::string& folder) const {
        const Record* version = record(folder + "/version");
        if (!version || version->folder)
            fail("no record " + folder + "/version");
        const std::string text(bytes_.data() + version->offset, version->size);
        std::size_t i = text.find_first_not_of(" \t\n\v\f\r");
        if (i != std::string::npos && text[i] == '+')
            ++i;
        uint64_t value = 0;
        std::size_t digits = 0;
        for (; i < text.size() && std::isdigit(static_cast<unsigned char>(text[i])) && digits < 20;
             ++i, ++digits)
            value = value * 10 + uint64_t(text[i] - '0');
        if (digits == 0 || digits == 20 || value < caffe2::serialize::kMinSupportedFileFormatVersion ||
            value > caffe2::serialize::kMaxSupportedFileFormatVersion)
            fail("its format version '" + text.substr(0, 20) + "' is not one LibTorch reads");
    }

    void checkPickle(const std::string& folder);

  private:
    // The zip64 extra field holds the 64-bit values of the fields saturated at 0xffffffff, in this order.
    void readZip64Sizes(uint64_t extra, uint64_t extraSize, uint64_t& size, uint64_t& compressed,
                        uint64_t& local) const {
        const uint64_t saturated = 0xffffffff;
        if (size != saturated && compressed != saturated && local != saturated)
            return;
        for (uint64_t q = extra; q + 4 <= extra + extraSize;) {
            const uint64_t id = number(q, 2), length = number(q + 2, 2);
            if (length > extra + extraSize - q - 4)
                break;
            if (id == 1) {
                uint64_t at = q + 4;
                for (uint64_t* field : {&size, &compressed, &local})
                    if (*field == saturated && at + 8 <= q + 4 + length) {
                        *field = number(at, 8);
                        at += 8;
                    }
                return;
            }
            q += 4 + length;
        }
    }

    const std::vector<char>& bytes_;
    const std::string& path_;
    std::map<std::string, Record> records_;
    std::string first_;
};

// What the checker knows of a value on the pickle's stack.
struct Value {
    enum class Kind { Other, Int, Str, Tuple, Global, Storage, Tensor, Dict, List };
    Kind kind = Kind::Other;
    int64_t number = 0;                              // Int: its value; Storage: its elements
    int64_t itemSize = 0;                            // Global of a storage type, Storage: bytes per element
    std::shared_ptr<const std::string> text;         // Str; Global: "module.name"
    std::shared_ptr<const std::vector<Value>> items; // Tuple
    int depth = 0;                                   // nesting of tuples
};

// The globals torch.save and torch::pickle_save write, and the storage types' element sizes.
int64_t storageItemSize(const std::string& global) {
    static const std::map<std::string, int64_t> sizes = {
        {"torch.FloatStorage", 4},    {"torch.DoubleStorage", 8},       {"torch.HalfStorage", 2},
        {"torch.BFloat16Storage", 2}, {"torch.LongStorage", 8},         {"torch.IntStorage", 4},
        {"torch.ShortStorage", 2},    {"torch.CharStorage", 1},         {"torch.ByteStorage", 1},
        {"torch.BoolStorage", 1},     {"torch.ComplexFloatStorage", 8}, {"torch.ComplexDoubleStorage", 16}};
    const auto it = sizes.find(global);
    return it == sizes.end() ? 0 : it->second;
}

bool knownFunction(const std::string& global) {
    return global == "torch._utils._rebuild_tensor_v2" || global == "collections.OrderedDict" ||
           global == "torch.jit._pickle.restore_type_tag" || global == "torch.jit._pickle.build_intlist" ||
           global == "torch.jit._pickle.build_doublelist" || global == "torch.jit._pickle.build_boollist";
}

void Checker::checkPickle(const std::string& folder) {
    const Record* pkl = record(folder + "/data.pkl");
    if (!pkl)
        fail("no record " + folder + "/data.pkl");
    const char* data = bytes_.data() + pkl->offset;
    const uint64_t size = pkl->size;
    uint64_t pos = 0, at = 0; // the next byte, the opcode being read
    std::vector<Value> stack, memo;
    std::vector<std::size_t> marks; // where each open MARK's values start
    const auto where = [&] { return " at byte " + std::to_string(at) + " of data.pkl"; };
    const auto take = [&](uint64_t n) { // n argument bytes
        if (n > size - pos)
            fail("an argument of " + std::to_string(n) + " bytes" + where() + " runs past its end");
        const uint64_t start = pos;
        pos += n;
        return start;
    };
    const auto le = [&](uint64_t n) {
        const uint64_t start = take(n);
        uint64_t value = 0;
        for (uint64_t i = n; i-- > 0;)
            value = value << 8 | uint8_t(data[start + i]);
        return value;
    };
    const auto frame = [&] { return stack.size() - (marks.empty() ? 0 : marks.back()); };
    const auto need = [&](std::size_t n, const char* op) {
        if (frame() < n)
            fail(std::string(op) + where() + " needs " + std::to_string(n) + " values, finds " +
                 std::to_string(frame()));
    };
    const auto pop = [&] {
        Value v = std::move(stack.back());
        stack.pop_back();
        return v;
    };
    const auto push = [&](Value v) {
        if (v.depth > kMaxDepth)
            fail("values nested more than " + std::to_string(kMaxDepth) + " deep" + where());
        stack.push_back(std::move(v));
    };
    const auto integer = [&](int64_t n) {
        Value v;
        v.kind = Value::Kind::Int;
        v.number = n;
        return v;
    };
    const auto text = [&](uint64_t n) {
        const uint64_t start = take(n);
        Value v;
        v.kind = Value::Kind::Str;
        v.text = std::make_shared<const std::string>(data + start, n);
        return v;
    };
    const auto tuple = [&](std::size_t n) { // of the top n values
        Value v;
        v.kind = Value::Kind::Tuple;
        auto items = std::make_shared<std::vector<Value>>(std::make_move_iterator(stack.end() - long(n)),
                                                          std::make_move_iterator(stack.end()));
        stack.resize(stack.size() - n);
        for (const Value& item : *items)
            v.depth = std::max(v.depth, item.depth + 1);
        v.items = std::move(items);
        return v;
    };
    const auto closeMark = [&](const char* op) {
        if (marks.empty())
            fail(std::string(op) + where() + " without a MARK");
        const std::size_t n = frame();
        marks.pop_back();
        return n;
    };
    const auto isInts = [](const Value& v) {
        return v.kind == Value::Kind::Tuple &&
               std::all_of(v.items->begin(), v.items->end(),
                           [](const Value& i) { return i.kind == Value::Kind::Int && i.number >= 0; });
    };

    for (;;) {
        at = pos;
        if (pos >= size)
            fail("data.pkl ends without STOP");
        const uint8_t op = uint8_t(data[pos++]);
        switch (op) {
        case 0x80: // PROTO
            take(1);
            break;
        case '.': // STOP
            if (!marks.empty() || stack.size() != 1)
                fail("STOP" + where() + " leaves " + std::to_string(stack.size()) + " values and " +
                     std::to_string(marks.size()) + " marks");
            return;
        case '(': // MARK
            marks.push_back(stack.size());
            break;
        case 'N':  // NONE
        case 0x88: // NEWTRUE
        case 0x89: // NEWFALSE
            push(Value{});
            break;
        case 'G': // BINFLOAT
            take(8);
            push(Value{});
            break;
        case 'K': // BININT1
            push(integer(int64_t(le(1))));
            break;
        case 'M': // BININT2
            push(integer(int64_t(le(2))));
            break;
        case 'J': // BININT
            push(integer(int64_t(int32_t(uint32_t(le(4))))));
            break;
        case 0x8a: { // LONG1: n bytes, little-endian two's complement
            const uint64_t n = le(1);
            if (n > 8)
                fail("an integer of " + std::to_string(n) + " bytes" + where());
            uint64_t value = le(n);
            if (n > 0 && n < 8 && (value >> (8 * n - 1)) != 0)
                value |= ~uint64_t(0) << (8 * n);
            push(integer(int64_t(value)));
            break;
        }
        case 'X': // BINUNICODE
            push(text(le(4)));
            break;
        case 0x8c: // SHORT_BINUNICODE
            push(text(le(1)));
            break;
        case 'c': { // GLOBAL: module and name, each ending in '\n'
            std::string name;
            for (int part = 0; part < 2; ++part) {
                const char* start = data + pos;
                const char* newline = static_cast<const char*>(std::memchr(start, '\n', size - pos));
                if (!newline)
                    fail("GLOBAL" + where() + " runs past its end");
                name += (part ? "." : "") + std::string(start, newline);
                pos += uint64_t(newline - start) + 1;
            }
            Value v;
            v.kind = Value::Kind::Global;
            v.itemSize = storageItemSize(name);
            if (!v.itemSize && !knownFunction(name))
                fail("it calls " + name + where() + ", which no checkpoint or recording holds");
            v.text = std::make_shared<const std::string>(name);
            push(std::move(v));
            break;
        }
        case 'q':   // BINPUT
        case 'r': { // LONG_BINPUT
            const uint64_t id = le(op == 'q' ? 1 : 4);
            need(1, "a memo put");
            if (id > memo.size()) // torch.save numbers them from 0; a gap would have LibTorch fill it
                fail("memo id " + std::to_string(id) + where() + " skips ids");
            if (id == memo.size())
                memo.push_back(stack.back());
            else
                memo[id] = stack.back();
            break;
        }
        case 'h':   // BINGET
        case 'j': { // LONG_BINGET
            const uint64_t id = le(op == 'h' ? 1 : 4);
            if (id >= memo.size())
                fail("memo id " + std::to_string(id) + where() + " was never put");
            push(memo[id]);
            break;
        }
        case '}': // EMPTY_DICT
        case ']': // EMPTY_LIST
        {
            Value v;
            v.kind = op == '}' ? Value::Kind::Dict : Value::Kind::List;
            push(std::move(v));
            break;
        }
        case ')': // EMPTY_TUPLE
            push(tuple(0));
            break;
        case 't': // TUPLE
            push(tuple(closeMark("TUPLE")));
            break;
        case 0x85: // TUPLE1
        case 0x86: // TUPLE2
        case 0x87: // TUPLE3
            need(op - 0x84, "TUPLE1-3");
            push(tuple(op - 0x84));
            break;
        case 's':   // SETITEM
        case 'a': { // APPEND
            const bool dict = op == 's';
            need(dict ? 3 : 2, dict ? "SETITEM" : "APPEND");
            const Value& target = stack[stack.size() - (dict ? 3 : 2)];
            if (target.kind != (dict ? Value::Kind::Dict : Value::Kind::List))
                fail(std::string(dict ? "SETITEM" : "APPEND") + where() + " on a value of another kind");
            stack.resize(stack.size() - (dict ? 2 : 1));
            break;
        }
        case 'u':   // SETITEMS
        case 'e': { // APPENDS
            const bool dict = op == 'u';
            const std::size_t n = closeMark(dict ? "SETITEMS" : "APPENDS");
            if (dict && n % 2 != 0)
                fail("SETITEMS" + where() + " with a key and no value");
            if (frame() < n + 1 ||
                stack[stack.size() - n - 1].kind != (dict ? Value::Kind::Dict : Value::Kind::List))
                fail(std::string(dict ? "SETITEMS" : "APPENDS") + where() + " on no " +
                     (dict ? "dict" : "list"));
            stack.resize(stack.size() - n);
            break;
        }
        case 'Q': { // BINPERSID: ('storage', storage type, key, location, elements)
            need(1, "BINPERSID");
            const Value id = pop();
            const std::vector<Value>* args = id.kind == Value::Kind::Tuple ? id.items.get() : nullptr;
            if (!args || args->size() < 5 || (*args)[0].kind != Value::Kind::Str ||
                *(*args)[0].text != "storage" || (*args)[1].kind != Value::Kind::Global ||
                !(*args)[1].itemSize || (*args)[2].kind != Value::Kind::Str ||
                (*args)[3].kind != Value::Kind::Str || (*args)[4].kind != Value::Kind::Int ||
                (*args)[4].number < 0)
                fail("a storage" + where() + " not described as torch.save describes one");
            const int64_t elements = (*args)[4].number, itemSize = (*args)[1].itemSize;
            if (elements > 0) {
                const std::string name = folder + "/data/" + *(*args)[2].text;
                const Record* data = record(name);
                if (!data)
                    fail("a storage" + where() + " names no record (" + name + ")");
                if (uint64_t(elements) > data->size / uint64_t(itemSize))
                    fail("a storage of " + std::to_string(elements) + " elements" + where() + " in the " +
                         std::to_string(data->size) + " bytes of " + name);
            }
            Value storage;
            storage.kind = Value::Kind::Storage;
            storage.number = elements;
            storage.itemSize = itemSize;
            push(std::move(storage));
            break;
        }
        case 'R': { // REDUCE: function, arguments
            need(2, "REDUCE");
            const Value args = pop(), function = pop();
            if (function.kind != Value::Kind::Global || function.itemSize || args.kind != Value::Kind::Tuple)
                fail("REDUCE" + where() + " of no function");
            const std::string& name = *function.text;
            const std::vector<Value>& a = *args.items;
            Value result;
            if (name == "torch._utils._rebuild_tensor_v2") {
                // (storage, offset, sizes, strides, ...): every element inside the storage
                if (a.size() < 5 || a[0].kind != Value::Kind::Storage || a[1].kind != Value::Kind::Int ||
                    a[1].number < 0 || !isInts(a[2]) || !isInts(a[3]) ||
                    a[2].items->size() != a[3].items->size())
                    fail("a tensor" + where() + " not described as torch.save describes one");
                int64_t last = a[1].number; // the last element's index in the storage
                bool empty = false;
                for (std::size_t d = 0; d < a[2].items->size(); ++d) {
                    const int64_t extent = (*a[2].items)[d].number, stride = (*a[3].items)[d].number;
                    int64_t reach = 0;
                    empty = empty || extent == 0;
                    if (extent > 0 && (__builtin_mul_overflow(extent - 1, stride, &reach) ||
                                       __builtin_add_overflow(last, reach, &last)))
                        fail("a tensor" + where() + " of sizes and strides beyond any storage");
                }
                if (!empty && last >= a[0].number)
                    fail("a tensor" + where() + " reaching element " + std::to_string(last) +
                         " of a storage of " + std::to_string(a[0].number));
                result.kind = Value::Kind::Tensor;
            } else if (name == "collections.OrderedDict") {
                result.kind = Value::Kind::Dict;
            } else if (name == "torch.jit._pickle.restore_type_tag") {
                if (a.size() < 2)
                    fail("a type tag" + where() + " without its type");
                result = a[0];
            } else { // torch.jit._pickle.build_*list
                result.kind = Value::Kind::List;
            }
            push(std::move(result));
            break;
        }
        default: {
            const char* hex = "0123456789abcdef";
            fail(std::string("pickle opcode 0x") + hex[op >> 4] + hex[op & 15] + where() +
                 ", which torch.save does not write");
        }
        }
    }
}

} // namespace

void checkPtArchive(const std::vector<char>& bytes, const std::string& path) {
    Checker checker(bytes, path);
    checker.readDirectory();
    const std::string folder = checker.folder();
    checker.checkVersion(folder);
    checker.checkPickle(folder);
}

} // namespace bp::pickle
