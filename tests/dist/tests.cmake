# Data-parallel training over c10d's Gloo on 127.0.0.1: each test spawns itself as the group's processes.
burstprop_add_test(data_parallel LABELS dist TIMEOUT 900 LIBS burstprop_dist burstprop_golden)
# burstprop-train --nproc, torchrun's and Slurm's variables, refused configurations, a killed rank.
burstprop_add_test(group_cli LABELS dist cli TIMEOUT 900 LIBS PkgConfig::TURBOJPEG)
burstprop_add_test(allreduce_volume LABELS dist)
# The checks before a data-parallel run trains: the ranks' configurations, the database's file system.
burstprop_add_test(group_join LABELS dist LIBS burstprop_cli)
# Benchmark, not run by CI: 1 process x 2 threads against --nproc 2 x 1 thread (ctest -R group_benchmark -V).
burstprop_add_test(group_benchmark LABELS dist benchmark TIMEOUT 1800)
