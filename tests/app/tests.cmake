# burstprop-train: option parsing, its output formats, and the built binary run end to end.
burstprop_add_test(cli_options LABELS cli)
burstprop_add_test(cli_output LABELS cli)
burstprop_add_test(train_cli LABELS cli)
burstprop_add_test(command_line LABELS cli)
burstprop_add_test(train_store_cli LABELS cli store)
burstprop_add_test(evaluate_cli LABELS cli store)
burstprop_add_test(golden_cli LABELS cli golden)
burstprop_add_test(training_benchmark LABELS benchmark cli TIMEOUT 900)
target_compile_definitions(tst_training_benchmark PRIVATE
  REFERENCE_SPEED_SCRIPT="${CMAKE_CURRENT_LIST_DIR}/reference_speed.py"
  REFERENCE_IMAGENET_SPEED_SCRIPT="${CMAKE_CURRENT_LIST_DIR}/reference_imagenet_speed.py")
burstprop_add_test(image_folder_cli LABELS cli store LIBS PkgConfig::TURBOJPEG)
burstprop_add_test(sweep_cli LABELS cli)
burstprop_add_test(sweep_run_cli LABELS cli store)
# stop, pause and continue RUN, sweep pause and continue: real processes signalled through the run database.
burstprop_add_test(run_control LABELS cli store)
burstprop_add_test(sweep_benchmark LABELS benchmark cli TIMEOUT 900)
burstprop_add_test(tensorboard_cli LABELS cli store tensorboard)
