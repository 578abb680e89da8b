# The explorer's widgets, driven offscreen.
burstprop_add_test(main_window LIBS burstprop_ui LABELS gui)
burstprop_add_test(preset_library LIBS burstprop_ui LABELS gui)
burstprop_add_test(preset_bar LIBS burstprop_ui LABELS gui)
burstprop_add_test(run_queue LIBS burstprop_ui LABELS gui)
