namespace CleanChat.Application.Callbacks;

/// <summary>A callback's JSON body, as Tencent documents it. Every body repeats the command.</summary>
public interface ICallbackBody
{
    string? CallbackCommand { get; }
}
