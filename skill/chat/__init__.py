"""Try the skill without a device: typed conversations, scripted dialogs, audio previews."""
