using System.Runtime.ExceptionServices;

namespace ReplicaSync.Sync;

/// <summary>Runs the stages of a pipeline together: the first failure cancels the others and is what the caller sees.</summary>
internal static class Stages
{
    public static async Task RunAsync(CancellationTokenSource cancel, params Func<Task>[] stages)
    {
        var tasks = stages.Select(stage => GuardAsync(stage, cancel)).ToArray();
        try
        {
            await Task.WhenAll(tasks);
        }
        catch
        {
            var errors = tasks.Where(t => t.IsFaulted).SelectMany(t => t.Exception!.InnerExceptions).ToList();
            var cause = errors.FirstOrDefault(e => e is not OperationCanceledException) ?? errors.FirstOrDefault();
            if (cause is not null)
                ExceptionDispatchInfo.Throw(cause);
            throw;
        }
    }

    private static async Task GuardAsync(Func<Task> stage, CancellationTokenSource cancel)
    {
        try
        {
            await stage();
        }
        catch
        {
            await cancel.CancelAsync();
            throw;
        }
    }
}
