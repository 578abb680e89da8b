#include "core/images/transforms.h"
#include "core/util/error.h"
#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

namespace bp::images {

namespace {

// Python's round() of a float: half to even (std::nearbyint in the default rounding mode).
int roundHalfEven(double value) {
    return int(std::nearbyint(value));
}

// One axis of PIL's resampling (Pillow's precompute_coeffs, bilinear filter): for each output pixel, the
// first source pixel it reads, how many, and their normalised weights (ksize slots per output pixel).
struct Axis {
    int ksize = 0;
    std::vector<int> first, count;
    std::vector<double> weights;
    std::vector<int> fixed; // the weights in Pillow's 8-bit fixed point (PRECISION_BITS = 22)
};

constexpr int kPrecisionBits = 32 - 8 - 2;

// in0..in1: the box on this axis; lo..hi: the source pixels the filter may read.
Axis axisCoefficients(double in0, double in1, int lo, int hi, int outSize) {
    Axis a;
    const double scale = (in1 - in0) / outSize;
    const double filterScale = std::max(scale, 1.0);
    const double support = 1.0 * filterScale; // the bilinear (triangle) filter's support is 1
    a.ksize = int(std::ceil(support)) * 2 + 1;
    a.first.resize(outSize);
    a.count.resize(outSize);
    a.weights.assign(size_t(outSize) * a.ksize, 0.0);
    a.fixed.assign(size_t(outSize) * a.ksize, 0);
    for (int xx = 0; xx < outSize; ++xx) {
        const double center = in0 + (xx + 0.5) * scale;
        const double inverse = 1.0 / filterScale;
        int xmin = int(std::floor(center - support + 0.5));
        int xmax = int(std::floor(center + support + 0.5));
        xmin = std::clamp(xmin, lo, hi - 1);
        xmax = std::clamp(xmax, xmin + 1, hi);
        xmax = std::min(xmax, xmin + a.ksize);
        double* w = &a.weights[size_t(xx) * a.ksize];
        double total = 0.0;
        for (int x = 0; x < xmax - xmin; ++x) {
            const double t = std::abs((x + xmin - center + 0.5) * inverse);
            w[x] = t < 1.0 ? 1.0 - t : 0.0;
            total += w[x];
        }
        for (int x = 0; x < xmax - xmin; ++x) {
            if (total != 0.0)
                w[x] /= total;
            const double f = w[x] * (1 << kPrecisionBits);
            a.fixed[size_t(xx) * a.ksize + x] = int(f < 0 ? f - 0.5 : f + 0.5);
        }
        a.first[xx] = xmin;
        a.count[xx] = xmax - xmin;
    }
    return a;
}

inline uint8_t clip8(int value) {
    if (value >= (255 << kPrecisionBits))
        return 255;
    if (value <= 0)
        return 0;
    return uint8_t(value >> kPrecisionBits);
}

} // namespace

CropBox scaled(const CropBox& box, double factor) {
    return {box.x * factor, box.y * factor, box.width * factor, box.height * factor};
}

CropBox randomResizedCrop(int width, int height, ExampleRng& rng, double scaleMin, double scaleMax,
                          double ratioMin, double ratioMax) {
    const double area = double(width) * double(height);
    const double logLo = std::log(ratioMin), logHi = std::log(ratioMax);
    for (int attempt = 0; attempt < 10; ++attempt) {
        const double targetArea = area * rng.uniform(scaleMin, scaleMax);
        const double aspect = std::exp(rng.uniform(logLo, logHi));
        const int w = roundHalfEven(std::sqrt(targetArea * aspect));
        const int h = roundHalfEven(std::sqrt(targetArea / aspect));
        if (w > 0 && w <= width && h > 0 && h <= height) {
            const int64_t top = rng.integer(0, height - h);
            const int64_t left = rng.integer(0, width - w);
            return {double(left), double(top), double(w), double(h)};
        }
    }
    // torchvision's fallback: the centre crop of the whole image, its aspect ratio clamped to the range.
    const double inRatio = double(width) / double(height);
    int w = width, h = height;
    if (inRatio < std::min(ratioMin, ratioMax))
        h = roundHalfEven(w / std::min(ratioMin, ratioMax));
    else if (inRatio > std::max(ratioMin, ratioMax))
        w = roundHalfEven(h * std::max(ratioMin, ratioMax));
    return {double((width - w) / 2), double((height - h) / 2), double(w), double(h)};
}

CropBox resizeCenterCrop(int width, int height, int resize, int crop) {
    if (width <= 0 || height <= 0 || resize <= 0 || crop <= 0)
        throw Error("resizeCenterCrop: image " + std::to_string(width) + " x " + std::to_string(height) +
                    ", resize " + std::to_string(resize) + ", crop " + std::to_string(crop));
    const int shortSide = std::min(width, height), longSide = std::max(width, height);
    const int newLong = int(double(resize) * longSide / shortSide); // Python's int(): truncation
    const int newW = width <= height ? resize : newLong, newH = width <= height ? newLong : resize;
    const int top = roundHalfEven((newH - crop) / 2.0), left = roundHalfEven((newW - crop) / 2.0);
    const double sx = double(width) / newW, sy = double(height) / newH;
    return {left * sx, top * sy, crop * sx, crop * sy};
}

void resampleNormalised(const Image& image, CropBox box, int outW, int outH, bool flip, bool clampToBox,
                        const Normalisation& norm, float* out) {
    if (outW <= 0 || outH <= 0 || image.width <= 0 || image.height <= 0 ||
        image.rgb.size() != size_t(image.width) * size_t(image.height) * 3 || !(box.width > 0) ||
        !(box.height > 0))
        throw Error("resampleNormalised: a " + std::to_string(image.width) + " x " +
                    std::to_string(image.height) + " image, a box of " + std::to_string(box.width) + " x " +
                    std::to_string(box.height) + ", output " + std::to_string(outW) + " x " +
                    std::to_string(outH));
    int x0 = 0, x1 = image.width, y0 = 0, y1 = image.height;
    if (clampToBox) {
        x0 = std::clamp(int(std::floor(box.x)), 0, image.width - 1);
        x1 = std::clamp(int(std::ceil(box.x + box.width)), x0 + 1, image.width);
        y0 = std::clamp(int(std::floor(box.y)), 0, image.height - 1);
        y1 = std::clamp(int(std::ceil(box.y + box.height)), y0 + 1, image.height);
    }
    const Axis horizontal = axisCoefficients(box.x, box.x + box.width, x0, x1, outW);
    const Axis vertical = axisCoefficients(box.y, box.y + box.height, y0, y1, outH);

    // Horizontal pass (first, as Pillow), over the rows the vertical pass reads, rounded to 8 bits as
    // Pillow's ImagingResampleHorizontal_8bpc.
    const int rowFirst = vertical.first[0];
    const int rowLast = vertical.first[outH - 1] + vertical.count[outH - 1];
    const int rows = rowLast - rowFirst;
    thread_local std::vector<uint8_t> temp;
    temp.resize(size_t(rows) * outW * 3);
    for (int r = 0; r < rows; ++r) {
        const uint8_t* in = &image.rgb[size_t(rowFirst + r) * image.width * 3];
        uint8_t* t = &temp[size_t(r) * outW * 3];
        for (int xx = 0; xx < outW; ++xx) {
            const int* k = &horizontal.fixed[size_t(xx) * horizontal.ksize];
            const uint8_t* p = in + size_t(horizontal.first[xx]) * 3;
            int s0 = 1 << (kPrecisionBits - 1), s1 = s0, s2 = s0;
            for (int i = 0; i < horizontal.count[xx]; ++i) {
                s0 += p[i * 3] * k[i];
                s1 += p[i * 3 + 1] * k[i];
                s2 += p[i * 3 + 2] * k[i];
            }
            t[xx * 3] = clip8(s0);
            t[xx * 3 + 1] = clip8(s1);
            t[xx * 3 + 2] = clip8(s2);
        }
    }

    // Vertical pass in float (not rounded: the normalised value keeps the fraction), then the scale and
    // shift of the normalisation, the flip and the planar layout.
    float gain[3], offset[3];
    for (int c = 0; c < 3; ++c) {
        gain[c] = 1.0f / (255.0f * norm.std[c]);
        offset[c] = -norm.mean[c] / norm.std[c];
    }
    const size_t plane = size_t(outW) * outH;
    std::vector<float> acc(size_t(outW) * 3);
    for (int yy = 0; yy < outH; ++yy) {
        std::fill(acc.begin(), acc.end(), 0.0f);
        const double* k = &vertical.weights[size_t(yy) * vertical.ksize];
        for (int i = 0; i < vertical.count[yy]; ++i) {
            const float w = float(k[i]);
            const uint8_t* t = &temp[size_t(vertical.first[yy] - rowFirst + i) * outW * 3];
            for (int j = 0; j < outW * 3; ++j)
                acc[j] += w * float(t[j]);
        }
        float* row[3] = {out + size_t(yy) * outW, out + plane + size_t(yy) * outW,
                         out + 2 * plane + size_t(yy) * outW};
        for (int xx = 0; xx < outW; ++xx) {
            const int to = flip ? outW - 1 - xx : xx;
            for (int c = 0; c < 3; ++c)
                row[c][to] = acc[xx * 3 + c] * gain[c] + offset[c];
        }
    }
}

} // namespace bp::images
