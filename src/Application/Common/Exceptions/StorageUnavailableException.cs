namespace CleanChat.Application.Common.Exceptions;

/// <summary>
/// Storage could not commit or read. The webhook answers 500 FAIL so that a retry-enabled
/// Tencent redelivers; the gRPC API answers UNAVAILABLE.
/// </summary>
public sealed class StorageUnavailableException(string message, Exception innerException)
    : Exception(message, innerException);
