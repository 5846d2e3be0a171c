"""Director guide node: applies an IC-LoRA to the incoming model."""
import comfy.lora
import comfy.utils


def _patched_model(model, lora_path, strength):
    lora = comfy.utils.load_torch_file(lora_path, safe_load=True)
    patched = model.clone()
    patched.add_patches(comfy.lora.load_lora(lora, patched.model.state_dict()), strength)
    return patched


class LTXDirectorGuide:
    RETURN_TYPES = ("MODEL",)
    FUNCTION = "apply"

    def apply(self, model, lora_path, strength=0.5):
        return (_patched_model(model, lora_path, strength),)
