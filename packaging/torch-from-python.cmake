# LibTorch straight from a Python torch package, without find_package(Torch): -DBURSTPROP_TORCH_FROM_PYTHON_LIBS=
# <the package's folder, e.g. .../site-packages/torch>. For a CUDA build of PyTorch on a machine without the
# CUDA toolkit: its TorchConfig.cmake loads Caffe2's public/cuda.cmake, which needs find_package(CUDAToolkit)
# (nvcc, the toolkit's headers) and stops with "Your installed Caffe2 version uses CUDA but I cannot find the
# CUDA libraries". The core includes no CUDA header, so the package's headers and shared libraries are enough:
# this defines the imported target `torch` from them, as TorchConfig.cmake would, and Torch_VERSION.
# packaging/gpu-check.sh chooses this when nvcc is absent.
set(_torch_dir "${BURSTPROP_TORCH_FROM_PYTHON_LIBS}")
set(_torch_api_include "${_torch_dir}/include/torch/csrc/api/include")
if(NOT EXISTS "${_torch_api_include}/torch/version.h" OR NOT IS_DIRECTORY "${_torch_dir}/lib")
  message(FATAL_ERROR "BURSTPROP_TORCH_FROM_PYTHON_LIBS=${_torch_dir}: no include/torch/csrc/api/include/torch/"
                      "version.h or lib/ there (give the folder of Python's torch package: python3 -c "
                      "'import torch, os; print(os.path.dirname(torch.__file__))')")
endif()

file(STRINGS "${_torch_api_include}/torch/version.h" _torch_version_lines REGEX "#define TORCH_VERSION_(MAJOR|MINOR|PATCH) ")
set(Torch_VERSION "")
foreach(_part MAJOR MINOR PATCH)
  string(REGEX MATCH "TORCH_VERSION_${_part} ([0-9]+)" _m "${_torch_version_lines}")
  list(APPEND Torch_VERSION "${CMAKE_MATCH_1}")
endforeach()
list(JOIN Torch_VERSION "." Torch_VERSION)

# The libraries: torch, torch_cpu, c10 and, in a CUDA build, torch_cuda and c10_cuda. Linked with --no-as-needed:
# nothing of ours calls into torch_cuda, yet it must be loaded for its CUDA kernels to register (Ubuntu's
# toolchain passes --as-needed by default and would drop it).
set(_torch_libs "")
foreach(_name torch torch_cpu torch_cuda c10_cuda c10)
  if(EXISTS "${_torch_dir}/lib/lib${_name}.so")
    list(APPEND _torch_libs "${_torch_dir}/lib/lib${_name}.so")
  elseif(_name MATCHES "^(torch|torch_cpu|c10)$")
    message(FATAL_ERROR "BURSTPROP_TORCH_FROM_PYTHON_LIBS: ${_torch_dir}/lib/lib${_name}.so not found")
  endif()
endforeach()

# The ABI of std::string in torch's interface: torch._C._GLIBCXX_USE_CXX11_ABI (pip wheels since 2.7 and
# Debian: 1).
set(BURSTPROP_TORCH_CXX11_ABI 1 CACHE STRING "_GLIBCXX_USE_CXX11_ABI of the Python torch package (0 or 1)")

add_library(torch INTERFACE IMPORTED)
set_target_properties(torch PROPERTIES
  INTERFACE_INCLUDE_DIRECTORIES "${_torch_dir}/include;${_torch_api_include}"
  # As TorchConfig.cmake's torch_cpu: the c10d headers (ProcessGroupGloo.hpp) are guarded by these.
  INTERFACE_COMPILE_DEFINITIONS "_GLIBCXX_USE_CXX11_ABI=${BURSTPROP_TORCH_CXX11_ABI};USE_DISTRIBUTED;USE_C10D_GLOO;USE_RPC;USE_TENSORPIPE"
  INTERFACE_LINK_LIBRARIES "-Wl,--no-as-needed;${_torch_libs};Threads::Threads")
set(TORCH_LIBRARIES torch)
set(TORCH_INSTALL_PREFIX "${_torch_dir}") # as TorchConfig.cmake sets it (core/dist looks beside it for NCCL)
set(Torch_FOUND TRUE)
list(LENGTH _torch_libs _n)
message(STATUS "LibTorch ${Torch_VERSION} from ${_torch_dir} (no find_package(Torch); ${_n} libraries)")
