"""Cross-check Megatron command-line arguments against the DeepSpeed config."""
import json
import os


def _print_rank_0(message):
    if int(os.environ.get("RANK", "0")) == 0:
        print(message, flush=True)


def validate_deepspeed_args(args):
    if not args.deepspeed:
        return args
    with open(args.deepspeed_config, "r", encoding="utf-8") as fp:
        ds_config = json.load(fp)
    micro = ds_config.get("train_micro_batch_size_per_gpu")
    if micro is not None and micro != args.micro_batch_size:
        raise ValueError(
            f"micro batch size mismatch: --micro-batch-size={args.micro_batch_size} "
            f"but {args.deepspeed_config} says {micro}"
        )
    if "zero_optimization" in ds_config:
        args.zero_stage = ds_config["zero_optimization"].get("stage", 0)
    if ds_config.get("bf16", {}).get("enabled"):
        args.bf16 = True
    _print_rank_0(f"using DeepSpeed config {args.deepspeed_config} (ZeRO stage {getattr(args, 'zero_stage', 0)})")
    return args
