using System.Globalization;

namespace CleanChat.TestSupport;

/// <summary>
/// A host's own <c>Main</c>, run in this process with a setting that must stop it: what start-up throws, on the
/// caller's side. <c>WebApplicationFactory</c> cannot be asked this reliably: it runs <c>Main</c> on a thread of its
/// own, whose <c>app.Run()</c> disposes the host as soon as start-up fails, while the factory, on the test's thread,
/// still reads the host's services to wait for it to start; when the disposal wins, the test sees an
/// <see cref="ObjectDisposedException"/> instead of the refusal. Here <c>Main</c> builds and starts the host itself,
/// and the exception its start-up raises is the one returned.
/// </summary>
public static class StartupRefusal
{
    /// <summary>Long enough for a start on a busy machine; a host that starts instead fails the test after it.</summary>
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    /// <summary>What WebhookApi's start-up throws on <paramref name="database"/> with <paramref name="settings"/>.</summary>
    public static Task<Exception> OfWebhookApiAsync(ITestDatabase database, IReadOnlyDictionary<string, string?>? settings = null) =>
        RefusalAsync(args => WebhookApi.Program.Main(args), database, settings,
            ("Webhook:SdkAppIds:0", TencentSample.SdkAppId), ("Kestrel:Endpoints:Http:Url", "http://127.0.0.1:0"));

    /// <summary>What GrpcApi's start-up throws on <paramref name="database"/> with <paramref name="settings"/>.</summary>
    public static Task<Exception> OfGrpcApiAsync(ITestDatabase database, IReadOnlyDictionary<string, string?>? settings = null) =>
        RefusalAsync(GrpcApi.Program.Main, database, settings,
            ("Kestrel:Endpoints:Grpc:Url", "http://127.0.0.1:0"), ("Kestrel:Endpoints:Metrics:Url", "http://127.0.0.1:0"));

    private static async Task<Exception> RefusalAsync(
        Action<string[]> main, ITestDatabase database, IReadOnlyDictionary<string, string?>? settings, params (string Key, string Value)[] defaults)
    {
        // What the factory gives a host (Hosts.Settings), as command-line settings: they come last, so they win over
        // the appsettings files and the environment.
        IEnumerable<(string Key, string? Value)> all = [("environment", "Testing"), .. Hosts.Settings(database, settings, defaults)];
        var args = all.Select(s => string.Create(CultureInfo.InvariantCulture, $"--{s.Key}={s.Value}")).ToArray();

        var run = Task.Run(() => main(args));
        try
        {
            await run.WaitAsync(Patience);
        }
        catch (TimeoutException)
        {
            throw new InvalidOperationException($"The host did not refuse to start within {Patience.TotalSeconds} s; it is running.");
        }
        catch (Exception refusal)
        {
            return refusal;
        }

        throw new InvalidOperationException("The host's Main returned without an exception: it did not refuse to start.");
    }
}
