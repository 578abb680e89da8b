# TensorBoard event files: CRC-32C, the TFRecord/Event format both ways, a run's export, a reference's import.
burstprop_add_test(crc32c LABELS tensorboard)
burstprop_add_test(event_file LABELS tensorboard)
burstprop_add_test(tensorboard_export LABELS tensorboard store)
burstprop_add_test(reference_import LABELS tensorboard store)
