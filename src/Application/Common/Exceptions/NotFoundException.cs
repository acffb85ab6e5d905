namespace CleanChat.Application.Common.Exceptions;

/// <summary>The thing a query asked for does not exist. Hosts answer NOT_FOUND (gRPC) or 404.</summary>
public sealed class NotFoundException(string message) : Exception(message);
