namespace CleanChat.Application.Callbacks;

/// <summary>A callback's JSON body, as Tencent documents it. Most bodies repeat the query's command; a few do not.</summary>
public interface ICallbackBody
{
    string? CallbackCommand { get; }
}
