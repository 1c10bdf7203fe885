using TokenCredential = global::Azure.Core.TokenCredential;

namespace ReplicaSync.Storage.Azure;

/// <summary>
/// Reads an Azure target address plus the environment into <see cref="AzureStoreOptions"/>. Addresses:
/// <list type="bullet">
/// <item><c>az://container/prefix</c>; the account comes from <c>REPLICASYNC_AZURE_ACCOUNT</c>;</item>
/// <item><c>abfss://container@account.dfs.core.windows.net/prefix</c> (ADLS Gen2; the same data is reached
/// through the account's Blob endpoint, <c>account.blob.core.windows.net</c>, and other clouds' suffixes work alike);</item>
/// <item><c>https://account.blob.core.windows.net/container/prefix</c>.</item>
/// </list>
/// <c>REPLICASYNC_AZURE_ENDPOINT</c> overrides the Blob service URL (an emulator or custom endpoint, used path-style).
/// Credentials, first found wins: <c>REPLICASYNC_AZURE_ACCOUNT_KEY</c> (SharedKey), <c>REPLICASYNC_AZURE_SAS</c>
/// (a SAS token), else Azure.Identity's DefaultAzureCredential (environment, workload identity, managed identity,
/// Azure CLI, ...). Secrets belong in those variables, never in the address, which is printed.
/// </summary>
public static class AzureAddress
{
    public const string AccountVariable = "REPLICASYNC_AZURE_ACCOUNT";
    public const string EndpointVariable = "REPLICASYNC_AZURE_ENDPOINT";
    public const string AccountKeyVariable = "REPLICASYNC_AZURE_ACCOUNT_KEY";
    public const string SasVariable = "REPLICASYNC_AZURE_SAS";

    /// <summary>True for the address forms this class parses (it may still reject a malformed one).</summary>
    public static bool IsAzure(string address)
    {
        if (address.StartsWith("az://", StringComparison.OrdinalIgnoreCase) || address.StartsWith("abfss://", StringComparison.OrdinalIgnoreCase))
            return true;
        return address.StartsWith("https://", StringComparison.OrdinalIgnoreCase)
            && Uri.TryCreate(address, UriKind.Absolute, out var uri) && uri.Host.Contains(".blob.", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>
    /// Parses <paramref name="address"/>; <paramref name="environment"/> reads variables, and
    /// <paramref name="defaultCredential"/> makes the fallback credential (DefaultAzureCredential unless given).
    /// Throws <see cref="ArgumentException"/> naming the part that is wrong.
    /// </summary>
    public static AzureStoreOptions Parse(string address, Func<string, string?> environment, Func<TokenCredential>? defaultCredential = null)
    {
        var (account, hostSuffix, container, prefix) = SplitAddress(address);
        var configured = Variable(environment, AccountVariable);
        if (account is null)
            account = configured ?? throw new ArgumentException($"'{Printable(address)}' names no storage account: set {AccountVariable}, or use abfss://container@account.dfs.core.windows.net/prefix");
        else if (configured is not null && !string.Equals(configured, account, StringComparison.Ordinal))
            throw new ArgumentException($"{AccountVariable} is '{configured}' but '{Printable(address)}' names account '{account}'");
        ValidateAccount(account);

        // abfss:// and https:// name the cloud too (core.windows.net, core.chinacloudapi.cn, ...); its Blob endpoint serves the data.
        Uri? endpoint = hostSuffix is null ? null : new Uri($"https://{account}.blob.{hostSuffix}");
        if (Variable(environment, EndpointVariable) is { } e)
        {
            if (!Uri.TryCreate(e, UriKind.Absolute, out endpoint) || (endpoint.Scheme != Uri.UriSchemeHttp && endpoint.Scheme != Uri.UriSchemeHttps))
                throw new ArgumentException($"{EndpointVariable} must be an http(s) URL such as http://127.0.0.1:10000");
            if (endpoint.Query.Length > 0)
                throw new ArgumentException($"{EndpointVariable} must not carry a query: put a SAS token in {SasVariable}");
        }

        AzureCredential credential;
        if (Variable(environment, AccountKeyVariable) is { } key)
            credential = Guard(() => AzureCredential.SharedKey(key), AccountKeyVariable);
        else if (Variable(environment, SasVariable) is { } sas)
            credential = Guard(() => AzureCredential.Sas(sas), SasVariable);
        else
            credential = AzureCredential.Bearer((defaultCredential ?? (() => new global::Azure.Identity.DefaultAzureCredential()))());

        var options = new AzureStoreOptions { Account = account, Container = container, Prefix = prefix, Endpoint = endpoint, Credential = credential };
        options.Validate();
        return options;
    }

    internal static void ValidateAccount(string account)
    {
        if (account.Length is < 3 or > 24 || !account.All(c => c is >= 'a' and <= 'z' or >= '0' and <= '9'))
            throw new ArgumentException($"storage account name '{account}' must be 3-24 lowercase letters and digits");
    }

    internal static void ValidateContainer(string container)
    {
        var valid = container.Length is >= 3 and <= 63
            && container.All(c => c is >= 'a' and <= 'z' or >= '0' and <= '9' or '-')
            && char.IsAsciiLetterOrDigit(container[0]) && char.IsAsciiLetterOrDigit(container[^1])
            && !container.Contains("--", StringComparison.Ordinal);
        if (!valid)
            throw new ArgumentException($"container name '{container}' must be 3-63 lowercase letters, digits and single hyphens, starting and ending with a letter or digit");
    }

    private static (string? Account, string? HostSuffix, string Container, string Prefix) SplitAddress(string address)
    {
        if (address.Contains('?', StringComparison.Ordinal) || address.Contains('#', StringComparison.Ordinal))
            throw new ArgumentException($"'{Printable(address)}' must not carry a query or fragment: put a SAS token in {SasVariable}");
        if (address.StartsWith("az://", StringComparison.OrdinalIgnoreCase))
        {
            var (container, prefix) = ContainerAndPrefix(address, address["az://".Length..]);
            return (null, null, container, prefix);
        }
        if (address.StartsWith("abfss://", StringComparison.OrdinalIgnoreCase))
        {
            var rest = address["abfss://".Length..];
            var slash = rest.IndexOf('/');
            var authority = slash < 0 ? rest : rest[..slash];
            var at = authority.IndexOf('@');
            if (at <= 0)
                throw new ArgumentException($"'{address}' has no container: use abfss://container@account.dfs.core.windows.net/prefix");
            var container = authority[..at];
            var (account, suffix) = AccountFromHost(address, authority[(at + 1)..], ".dfs.");
            var prefix = slash < 0 ? "" : Prefix(address, rest[(slash + 1)..]);
            ValidateContainer(container);
            return (account, suffix, container, prefix);
        }
        if (IsAzure(address))
        {
            var uri = new Uri(address);
            if (uri.UserInfo.Length > 0 || !uri.IsDefaultPort)
                throw new ArgumentException($"'{Printable(address)}' must be https://account.blob.core.windows.net/container/prefix (for an emulator set {EndpointVariable})");
            var (account, suffix) = AccountFromHost(address, uri.Host, ".blob.");
            var (container, prefix) = ContainerAndPrefix(address, Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/')));
            return (account, suffix, container, prefix);
        }
        throw new ArgumentException($"'{Printable(address)}' is not an Azure address (az://, abfss:// or https://account.blob.core.windows.net)");
    }

    private static (string Container, string Prefix) ContainerAndPrefix(string address, string rest)
    {
        var slash = rest.IndexOf('/');
        var container = slash < 0 ? rest : rest[..slash];
        if (container.Length == 0)
            throw new ArgumentException($"'{address}' has no container name");
        ValidateContainer(container);
        return (container, slash < 0 ? "" : Prefix(address, rest[(slash + 1)..]));
    }

    private static string Prefix(string address, string prefix)
    {
        prefix = prefix.TrimEnd('/');
        if (prefix.Length == 0)
            return "";
        try
        {
            return ObjectPath.Validate(prefix);
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException($"'{address}' has an unusable prefix: {e.Message}");
        }
    }

    /// <summary>Account and cloud suffix of <c>account.dfs.core.windows.net</c> or <c>account.blob.core.windows.net</c> (any cloud).</summary>
    private static (string Account, string Suffix) AccountFromHost(string address, string host, string service)
    {
        var dot = host.IndexOf('.');
        if (dot <= 0 || !host[dot..].StartsWith(service, StringComparison.OrdinalIgnoreCase) || host.Length == dot + service.Length)
            throw new ArgumentException($"'{Printable(address)}' has host '{host}', expected account{service}core.windows.net");
        return (host[..dot].ToLowerInvariant(), host[(dot + service.Length)..].ToLowerInvariant());
    }

    private static string? Variable(Func<string, string?> environment, string name) =>
        environment(name) is { } value && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;

    /// <summary>The credential, or an error that names the variable (and never its value).</summary>
    private static AzureCredential Guard(Func<AzureCredential> create, string variable)
    {
        try
        {
            return create();
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException($"{variable}: {e.Message}");
        }
    }

    /// <summary>The address without any query or fragment, which could hold a SAS.</summary>
    private static string Printable(string address)
    {
        var cut = address.IndexOfAny(['?', '#']);
        return cut < 0 ? address : address[..cut] + "?…";
    }
}
