using FluentValidation;
using MediatR;

namespace CleanChat.Application.Common.Behaviours;

/// <summary>
/// Runs every FluentValidation validator registered for a request before its handler,
/// and throws one <see cref="ValidationException"/> listing all failures. The hosts map it to
/// their protocol's "invalid argument" answer.
/// </summary>
public sealed class ValidationBehaviour<TRequest, TResponse>(IEnumerable<IValidator<TRequest>> validators)
    : IPipelineBehavior<TRequest, TResponse>
{
    private readonly IValidator<TRequest>[] _validators = validators.ToArray();

    public Task<TResponse> Handle(TRequest request, CancellationToken cancellationToken, RequestHandlerDelegate<TResponse> next)
    {
        if (_validators.Length == 0)
        {
            return next();
        }

        List<FluentValidation.Results.ValidationFailure>? failures = null;
        foreach (var validator in _validators)
        {
            // Validators here are synchronous rules over in-memory fields; no I/O to await.
            var result = validator.Validate(request);
            if (!result.IsValid)
            {
                (failures ??= []).AddRange(result.Errors);
            }
        }

        return failures is null ? next() : throw new ValidationException(failures);
    }
}
