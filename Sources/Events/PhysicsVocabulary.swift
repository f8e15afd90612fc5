/// The channels, the class mixture and the feature names (module Physics) are part of the event
/// model's vocabulary: whatever reads or writes events sees them with `import Events`.
@_exported import Physics
