#pragma once
// The ImageNet transforms of torchvision, on decoded images: RandomResizedCrop's and Resize + CenterCrop's
// crop boxes, and one resampling that crops, resizes (PIL's antialiased bilinear), flips and normalises
// into planar float CHW.
#include "core/images/example_rng.h"
#include "core/images/image_decode.h"

namespace bp::images {

// A crop rectangle in source pixel coordinates.
struct CropBox {
    double x = 0, y = 0, width = 0, height = 0;
};

// The box in an image decoded at `factor` of the size the box was drawn for (1.0 / scaleDenominator).
CropBox scaled(const CropBox& box, double factor);

// torchvision.transforms.RandomResizedCrop.get_params (scale 0.08–1, ratio 3/4–4/3): ten tries of an area
// drawn uniformly and an aspect ratio drawn log-uniformly, rounded half to even as Python's round(), then
// its centre-crop fallback; every number drawn from rng. The box has integer corners.
CropBox randomResizedCrop(int width, int height, ExampleRng& rng, double scaleMin = 0.08,
                          double scaleMax = 1.0, double ratioMin = 3.0 / 4.0, double ratioMax = 4.0 / 3.0);

// Resize(resize) (the shorter side to `resize`, the longer to int(resize · long / short) as torchvision) then
// CenterCrop(crop) (offsets rounded half to even), as one box in source coordinates.
CropBox resizeCenterCrop(int width, int height, int resize = 256, int crop = 224);

struct Normalisation {
    float mean[3];
    float std[3];
};
inline constexpr Normalisation kImagenetNormalisation{{0.485f, 0.456f, 0.406f}, {0.229f, 0.224f, 0.225f}};

// Resamples `box` of `image` to outW x outH with PIL's bilinear filter, antialiased as PIL's resize (a
// triangle whose support widens with the scale factor when shrinking; the horizontal pass first, rounded to
// 8 bits as PIL does), optionally mirrored left-right, then /255, minus mean, divided by std, written as
// planar float CHW (3 · outH · outW floats) to `out`. `box` is in the image's own pixel coordinates.
// clampToBox: the filter never reads outside the box (torchvision's crop then resize: RandomResizedCrop);
// otherwise it reads the image's pixels around the box (Resize then CenterCrop).
void resampleNormalised(const Image& image, CropBox box, int outW, int outH, bool flip, bool clampToBox,
                        const Normalisation& norm, float* out);

} // namespace bp::images
