namespace ReplicaSync.Delta;

/// <summary>ZeroMQ Z85 encoding, which Delta uses for the UUID of a relative (<c>u</c>) deletion vector path.</summary>
public static class Z85
{
    private const string Alphabet = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-:+=^!/*?&<>()[]{}@%$#";

    /// <summary>Encodes bytes whose length is a multiple of 4; 4 bytes become 5 characters, big-endian.</summary>
    public static string Encode(ReadOnlySpan<byte> data)
    {
        if (data.Length % 4 != 0)
            throw new ArgumentException("Z85 input length must be a multiple of 4");
        var chars = new char[data.Length / 4 * 5];
        for (int i = 0, o = 0; i < data.Length; i += 4, o += 5)
        {
            uint value = (uint)(data[i] << 24 | data[i + 1] << 16 | data[i + 2] << 8 | data[i + 3]);
            for (var k = 4; k >= 0; k--)
            {
                chars[o + k] = Alphabet[(int)(value % 85)];
                value /= 85;
            }
        }
        return new string(chars);
    }

    /// <summary>Decodes a string whose length is a multiple of 5.</summary>
    public static byte[] Decode(ReadOnlySpan<char> text)
    {
        if (text.Length % 5 != 0)
            throw new FormatException("Z85 input length must be a multiple of 5");
        var bytes = new byte[text.Length / 5 * 4];
        for (int i = 0, o = 0; i < text.Length; i += 5, o += 4)
        {
            ulong value = 0;
            for (var k = 0; k < 5; k++)
            {
                var digit = Alphabet.IndexOf(text[i + k]);
                if (digit < 0)
                    throw new FormatException($"'{text[i + k]}' is not a Z85 character");
                value = value * 85 + (ulong)digit;
            }
            if (value > uint.MaxValue)
                throw new FormatException("Z85 group out of range");
            bytes[o] = (byte)(value >> 24);
            bytes[o + 1] = (byte)(value >> 16);
            bytes[o + 2] = (byte)(value >> 8);
            bytes[o + 3] = (byte)value;
        }
        return bytes;
    }
}
