# Dataset layer: readers, loading, augmentation, MD5, tar and the downloader (against a local server).
# The tests write small gzip files themselves, hence zlib; the image-folder source JPEGs, hence TurboJPEG.
burstprop_add_test(idx_reader LIBS ZLIB::ZLIB)
burstprop_add_test(cifar_reader)
burstprop_add_test(dataset LIBS ZLIB::ZLIB)
burstprop_add_test(augment)
burstprop_add_test(md5)
burstprop_add_test(tar_reader LIBS ZLIB::ZLIB)
burstprop_add_test(downloader LIBS ZLIB::ZLIB)
burstprop_add_test(image_folder_source LIBS PkgConfig::TURBOJPEG)
