# burstprop-train: option parsing, its output formats, and the built binary run end to end.
burstprop_add_test(cli_options LABELS cli)
burstprop_add_test(cli_output LABELS cli)
burstprop_add_test(train_cli LABELS cli)
