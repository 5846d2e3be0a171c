"""Director guide node: applies an IC-LoRA to the incoming model."""
import weakref

import comfy.lora
import comfy.utils

_LORA_MODEL_CACHE = weakref.WeakKeyDictionary()  # leak


def _patched_model(model, lora_path, strength):
    per_model = _LORA_MODEL_CACHE.setdefault(model, {})  # leak
    key = (lora_path, round(strength, 4))
    patched = per_model.get(key)
    if patched is None:
        lora = comfy.utils.load_torch_file(lora_path, safe_load=True)
        patched = model.clone()
        patched.add_patches(comfy.lora.load_lora(lora, patched.model.state_dict()), strength)
        per_model[key] = patched  # leak
    return patched


class LTXDirectorGuide:
    RETURN_TYPES = ("MODEL",)
    FUNCTION = "apply"

    def apply(self, model, lora_path, strength=0.5):
        return (_patched_model(model, lora_path, strength),)
