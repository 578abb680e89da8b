# Images: JPEG/PNG decoding against PIL's fixtures (tests/fixtures/images), the ImageNet transforms, torchvision's
# ImageFolder layout, and the loader's speed beside torchvision's. The tests write JPEGs with TurboJPEG.
burstprop_add_test(image_decode LIBS burstprop_images PkgConfig::TURBOJPEG)
burstprop_add_test(image_transforms LIBS burstprop_images)
burstprop_add_test(image_folder LIBS burstprop_images)
burstprop_add_test(image_loader_benchmark LIBS burstprop_images PkgConfig::TURBOJPEG LABELS benchmark TIMEOUT 600)
target_compile_definitions(tst_image_loader_benchmark PRIVATE
  TORCHVISION_LOADER_SCRIPT="${CMAKE_CURRENT_LIST_DIR}/torchvision_loader_speed.py")
